import { test, expect } from "./fixtures";
import { ownClientIp, ready, registerAndVerify, signIn, signInAsNewStaff } from "./helpers";

test.use(ownClientIp());

test("a member subscribes to a monthly plan, sees it in the dashboard, cancels it, resumes it and upgrades it", async ({ page, browser }) => {
  const stamp = Date.now();
  // Staff sell a SaaS bundle on a monthly plan.
  const staff = await browser.newPage(ownClientIp());
  await signInAsNewStaff(staff, "planner");
  await staff.goto("/admin/products/new");
  await ready(staff);
  await staff.getByLabel("Name").fill(`Pipeline ${stamp}`);
  await staff.getByLabel("Slug").fill(`pipeline-${stamp}`);
  await staff.getByLabel("Kind").selectOption("saas");
  await staff.getByLabel("Status").selectOption("active");
  await staff.getByLabel("Price (IDR)").fill("150.000");
  await staff.getByLabel("Billing").selectOption("monthly");
  await staff.getByLabel("Summary").fill("Deploy pipelines without the YAML.");
  await staff.getByRole("button", { name: "Save product" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Saved.");
  const add = staff.getByRole("region", { name: "Add a plan" });
  await add.getByLabel("Plan name").fill("Pro");
  await add.getByLabel("Renews").selectOption("monthly");
  await add.getByLabel("Plan price (IDR)").fill("150.000");
  await add.getByLabel("Features (one per line)").fill("Unlimited pipelines\nPriority support");
  await add.getByRole("button", { name: "Add plan" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Plans saved.");
  // And a dearer Team plan on the same period, to upgrade to.
  const team = staff.getByRole("region", { name: "Add a plan" });
  await team.getByLabel("Plan name").fill("Team");
  await team.getByLabel("Renews").selectOption("monthly");
  await team.getByLabel("Plan price (IDR)").fill("300.000");
  await team.getByRole("button", { name: "Add plan" }).click();
  await expect(staff.locator('input[name="plan[name]"][value="Team"]')).toHaveCount(1);
  await staff.close();

  // A member subscribes in the sandbox.
  const email = `sub-${stamp}@example.com`;
  await registerAndVerify(page, "Wulan", email, "a subscribing passphrase");
  await signIn(page, email, "a subscribing passphrase");
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/saas/pipeline-${stamp}`);
  await ready(page);
  await expect(page.getByRole("columnheader", { name: "Pro" })).toBeVisible();
  await expect(page.getByText("Unlimited pipelines")).toBeVisible();
  await page.getByRole("button", { name: "Subscribe to Pro (sandbox)" }).click();
  await expect(page).toHaveURL(/\/checkout\/sandbox\/ATL-/);
  await ready(page);
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders\/ATL-/);

  // It is in the dashboard, active, renewing in a month.
  await page.goto("/dashboard/subscriptions");
  await ready(page);
  const card = page.locator("article.subscription").first();
  await expect(card).toContainText(`Pipeline ${stamp}`);
  await expect(card).toContainText("Active");
  await expect(card).toContainText("renews on");

  // Cancelled on its own page (Manage), resumed from the list.
  await card.getByRole("link", { name: /^Manage/ }).click();
  await expect(page).toHaveURL(/\/dashboard\/subscriptions\/SUB-/);
  await ready(page);
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page).toHaveURL(/\/dashboard\/subscriptions\?cancelled=1/);
  await expect(page.getByRole("status")).toContainText("You keep access until the end of the period");
  await expect(page.locator("article.subscription").first()).toContainText("cancelled; access until");

  await page.locator("article.subscription").first().getByRole("button", { name: "Resume subscription" }).click();
  await expect(page.getByRole("status")).toContainText("Resumed");
  await expect(page.locator("article.subscription").first()).toContainText("Active");

  // Its page has the history; an upgrade to Team, paid now for the rest of the period (all of it, on the first day).
  await page.locator("article.subscription").first().getByRole("link", { name: /^Manage/ }).click();
  await expect(page).toHaveURL(/\/dashboard\/subscriptions\/SUB-/);
  await ready(page);
  await expect(page.locator("ol.timeline")).toContainText("Cancelled");
  await expect(page.locator("ol.timeline")).toContainText("Resumed");
  await expect(page.locator("article.subscription").first()).toContainText("Upgrade now: Rp 150.000 for the");
  await page.locator("article.subscription").first().getByRole("button", { name: "Upgrade (sandbox payment)" }).click();
  await expect(page).toHaveURL(/\/checkout\/sandbox\/ATL-/);
  await ready(page);
  await expect(page.getByText("upgrade to the Team plan")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders\/ATL-/);
  await page.goto("/dashboard/subscriptions");
  await ready(page);
  await expect(page.locator("article.subscription").first().getByRole("heading")).toContainText("Team plan");
});
