import { test, expect } from "./fixtures";
import { createStaff, ready, registerAndVerify, signIn, ownClientIp } from "./helpers";

test.use(ownClientIp());

test("staff list a product, a member buys it through the sandbox gateway and sees it paid", async ({ page }) => {
  const stamp = Date.now();
  const staffEmail = `staff-${stamp}@studio.example`;
  createStaff(staffEmail, "a staff passphrase");

  // Staff put a product on sale.
  await signIn(page, staffEmail, "a staff passphrase");
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/products/new");
  await ready(page);
  await page.getByLabel("Name").fill(`Icon Pack ${stamp}`);
  await page.getByLabel("Slug").fill(`icon-pack-${stamp}`);
  await page.getByLabel("Status").selectOption("active");
  await page.getByLabel("Price (IDR)").fill("250.000");
  await page.getByLabel("Summary").fill("Four hundred icons in three weights.");
  await page.getByLabel("Description (Markdown)").fill("## What you get\n\n- 400 icons\n- **SVG** and PNG");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);

  // A visitor becomes a member and buys it.
  const email = `buyer-${stamp}@example.com`;
  await registerAndVerify(page, "Dimas", email, "a long buyer passphrase");
  await signIn(page, email, "a long buyer passphrase");
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto(`/products/icon-pack-${stamp}`);
  await ready(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Icon Pack ${stamp}`);
  await expect(page.getByText("Rp 250.000").first()).toBeVisible();
  await page.getByRole("button", { name: "Buy (sandbox payment)" }).click();

  await expect(page).toHaveURL(/\/checkout\/sandbox\/ATL-\d{8}-[0-9A-Z]{6}$/);
  await ready(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your test payment");
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(/\/dashboard\/orders\/ATL-/);
  await expect(page.getByText("Paid", { exact: true })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Your payment is confirmed");
  await expect(page.getByText("Payment confirmed")).toBeVisible();

  await page.goto("/dashboard/orders");
  await expect(page.getByRole("cell", { name: `Icon Pack ${stamp}` })).toBeVisible();
});

test("a member buys a license-key product in the sandbox and sees the key in the dashboard", async ({ page }) => {
  const stamp = Date.now();
  const staffEmail = `staff-key-${stamp}@studio.example`;
  createStaff(staffEmail, "a staff passphrase");
  await signIn(page, staffEmail, "a staff passphrase");
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/products/new");
  await ready(page);
  await page.getByLabel("Name").fill(`Render Engine ${stamp}`);
  await page.getByLabel("Slug").fill(`render-engine-${stamp}`);
  await page.getByLabel("Status").selectOption("active");
  await page.getByLabel("Price (IDR)").fill("750000");
  await page.getByLabel("Delivery", { exact: true }).selectOption("license_key");
  await page.getByLabel("License activations").fill("3");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Sign out" }).click();

  const email = `key-buyer-${stamp}@example.com`;
  await registerAndVerify(page, "Sari", email, "a long buyer passphrase");
  await signIn(page, email, "a long buyer passphrase");
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/products/render-engine-${stamp}`);
  await ready(page);
  await page.getByRole("button", { name: "Buy (sandbox payment)" }).click();
  await ready(page);
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders\/ATL-/);

  // Delivery runs in the background worker; the key appears once it has.
  await expect(async () => {
    await page.goto("/dashboard/downloads");
    await expect(page.locator("code.license-key")).toHaveText(/^ATL-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText("Ready")).toBeVisible();

  // The app activates the key on two machines; the member frees one seat from the dashboard.
  const key = (await page.locator("code.license-key").textContent())!.trim();
  for (const [instance, name] of [["fp-laptop", "Sari's laptop"], ["fp-studio", "Studio iMac"]]) {
    const res = await page.request.post("/api/licenses/activate", { data: { key, instance, name } });
    expect(res.status()).toBe(200);
  }
  await page.goto("/dashboard/licenses");
  await ready(page);
  await expect(page.getByText("2 of 3 machines")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Sari's laptop (fp-laptop)", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Deactivate Sari's laptop (fp-laptop)" }).click();
  await expect(page.getByRole("status")).toContainText("Deactivated: the seat is free");
  await expect(page.getByText("1 of 3 machines")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Sari's laptop (fp-laptop)", exact: true })).toHaveCount(0);
  const check = await page.request.post("/api/licenses/validate", { data: { key, instance: "fp-laptop" } });
  expect((await check.json()).activated).toBe(false);
});
