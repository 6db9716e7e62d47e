import { test, expect } from "./fixtures";
import { mailTo, ready, signInAsNewStaff, ownClientIp } from "./helpers";

test.use(ownClientIp());

test("staff write a post with a live preview and publish it; a visitor reads it on the blog", async ({ page, browser }) => {
  const stamp = Date.now();
  await signInAsNewStaff(page, "editor");

  await page.goto("/admin/posts/new");
  await ready(page);
  const title = `Notes from launch week ${stamp}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Summary").fill("What we shipped, what broke and what we learned.");
  await page.getByLabel("Text (Markdown)").fill(
    "## What we shipped\n\n| Part | State |\n|---|---|\n| Blog | live |\n\n<script>window.pwned = true</script>\n\nAll **done**.",
  );
  // Once hydrated, the preview follows the text as the server will publish it.
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("heading", { name: "What we shipped" })).toBeVisible();
  await expect(preview.getByRole("cell", { name: "live" })).toBeVisible();
  await page.getByLabel("Tags").fill("launch, notes");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect(page).toHaveURL(/\/admin\/posts\/\d+\?saved=1$/);

  // A visitor, in a browser of their own, finds it on the blog.
  const visitor = await browser.newPage();
  await visitor.goto("/blog");
  await ready(visitor);
  await visitor.getByRole("link", { name: title }).click();
  await expect(visitor).toHaveURL(/\/blog\/notes-from-launch-week-\d+$/);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(visitor.getByRole("cell", { name: "live" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "#launch" })).toBeVisible();
  expect(await visitor.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
  await expect(visitor).toHaveTitle(`${title} · Atelier`);
  await visitor.close();
});

test("a visitor joins a product's waitlist; joining again answers the same and mails nothing", async ({ page }) => {
  const stamp = Date.now();
  await signInAsNewStaff(page, "launcher");
  await page.goto("/admin/products/new");
  await ready(page);
  const name = `Insight ${stamp}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Kind").selectOption("saas");
  await page.getByLabel("Status").selectOption("waitlist");
  await page.getByLabel("Price (IDR)").fill("1.500.000");
  await page.getByLabel("Summary").fill("Privacy-first analytics in one file.");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);

  await page.goto("/waitlist");
  await ready(page);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const email = `waiting-${stamp}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name (optional)").fill("Sari");
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByRole("status")).toContainText("You're on the list");
  const mail = await mailTo(email);
  expect(mail).toContain(name);
  expect(mail).toContain("waitlist");

  // Whether an address is on the list is nobody else's business: the same answer.
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByRole("status")).toContainText("You're on the list");

  await page.getByLabel("Email").fill("not an email");
  await page.evaluate(() => document.querySelector("form.card")?.setAttribute("novalidate", ""));
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByRole("alert")).toContainText("email");
});

test("staff write a post's Indonesian version beside it; a visitor switches between the two", async ({ page, browser }) => {
  const stamp = Date.now();
  await signInAsNewStaff(page, "translator");
  await page.goto("/admin/posts/new");
  await ready(page);
  const title = `Launch notes ${stamp}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Text (Markdown)").fill("All **done**.");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  // The editor's other tab: the post in the studio's other language, with its own address and preview.
  await page.getByRole("link", { name: "Bahasa Indonesia", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/posts\/\d+\?lang=id$/);
  await ready(page);
  const judul = `Catatan peluncuran ${stamp}`;
  await page.getByLabel("Title").fill(judul);
  await page.getByLabel("Text (Markdown)").fill("Semua **selesai**.");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.locator("strong")).toHaveText("selesai");
  await page.getByLabel("Status").selectOption("published");
  await page.getByRole("button", { name: "Save the Bahasa Indonesia version" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  // A visitor reads the post, switches to its Indonesian version at its own address, and back.
  const visitor = await browser.newPage();
  await visitor.goto(`/blog/launch-notes-${stamp}`);
  await ready(visitor);
  await visitor.getByRole("link", { name: "Bahasa Indonesia", exact: true }).click();
  await expect(visitor).toHaveURL(new RegExp(`/id/blog/catatan-peluncuran-${stamp}$`));
  await expect(visitor.locator("html")).toHaveAttribute("lang", "id");
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(judul);
  await expect(visitor.locator("strong", { hasText: "selesai" })).toBeVisible();
  await expect(visitor.getByText("Halaman ini belum diterjemahkan")).toHaveCount(0);
  await visitor.getByRole("link", { name: "English", exact: true }).click();
  await expect(visitor).toHaveURL(new RegExp(`/blog/launch-notes-${stamp}$`));
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(title);
  // The Indonesian blog lists it by its Indonesian title.
  await visitor.goto("/id/blog");
  await ready(visitor);
  await expect(visitor.getByRole("link", { name: judul })).toBeVisible();
  await visitor.close();
});
