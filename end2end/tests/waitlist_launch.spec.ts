import { test, expect } from "./fixtures";
import { mailWith, ready, registerAndVerify, signIn, signInAsNewStaff, ownClientIp } from "./helpers";

test.use(ownClientIp());

test("staff launch a waitlisted product, a visitor who waited buys it with the early-bird coupon, and analytics show the sale", async ({ page, browser }) => {
  const stamp = Date.now();
  const slug = `atlas-${stamp}`;
  const email = `waiting-${stamp}@example.com`;

  // Staff open a waitlist for a product that is not on sale yet.
  const staff = await browser.newPage(ownClientIp());
  await signInAsNewStaff(staff, "launch");
  await staff.goto("/admin/products/new");
  await ready(staff);
  await staff.getByLabel("Name").fill(`Atlas ${stamp}`);
  await staff.getByLabel("Slug").fill(slug);
  await staff.getByLabel("Price (IDR)").fill("200.000");
  await staff.getByLabel("Status").selectOption("waitlist");
  await staff.getByRole("button", { name: "Save product" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Saved.");

  // A visitor joins the waitlist.
  await page.goto(`/waitlist/${slug}`);
  await ready(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByText("You're on the list!")).toBeVisible();

  // It goes on sale; staff notify the waitlist with 20 % off.
  await staff.getByLabel("Status").selectOption("active");
  await staff.getByRole("button", { name: "Save product" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Saved.");
  await staff.goto("/admin/waitlist");
  await ready(staff);
  const row = staff.locator("tr", { hasText: `Atlas ${stamp}` });
  await row.getByRole("button", { name: "Notify the waitlist" }).click();
  await expect(staff.getByText("Launch mail on its way")).toBeVisible();

  // The visitor's launch mail brings the coupon; they sign up and buy with it.
  const mail = await mailWith(email, "is here", 20_000);
  const link = mail.match(/https?:\/\/[^\s"<]+\?coupon=[A-Z0-9-]+/)?.[0];
  expect(link, "the launch mail links to the product with the coupon").toContain(`/products/${slug}?coupon=EARLY-`);
  // The visitor's own code: one use, for their address only.
  const code = new URL(link!).searchParams.get("coupon")!;
  expect(code).toMatch(/^EARLY-[A-Z0-9]{10}$/);
  await registerAndVerify(page, "Wulan", email, "worth the wait, truly");
  await signIn(page, email, "worth the wait, truly");
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await ready(page);
  await expect(page.getByText(`Coupon ${code}: 20 % off for the address it was mailed to, taken off at checkout.`)).toBeVisible();
  await page.getByRole("button", { name: "Buy (sandbox payment)" }).click();
  await expect(page).toHaveURL(/\/checkout\/sandbox\/ATL-/);
  await ready(page);
  await expect(page.getByText("Rp 160.000")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders\/ATL-/);
  await expect(page.getByText(`Coupon ${code} took Rp 40.000 off.`)).toBeVisible();

  // Staff see the conversion.
  await staff.reload();
  await ready(staff);
  const cells = staff.locator("tr", { hasText: `Atlas ${stamp}` }).locator("td");
  await expect(cells.nth(2)).toHaveText("1");
  await expect(cells.nth(3)).toHaveText("1");
  await expect(cells.nth(4)).toHaveText("1");
  await expect(cells.nth(5)).toContainText("own codes, 1 used");

  // The analytics page shows the sale.
  await staff.goto("/admin/analytics");
  await ready(staff);
  const top = staff.locator("section", { has: staff.getByRole("heading", { name: "Top products" }) });
  await expect(top.locator("tr", { hasText: `Atlas ${stamp}` })).toContainText("Rp 160.000");
  await staff.close();
});
