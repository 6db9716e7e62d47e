import { test, expect } from "./fixtures";
import { ownClientIp, ready, registerAndVerify, signIn, signInAsNewStaff } from "./helpers";

test.use(ownClientIp());

test("a member uses the contrast checker until the day's runs are spent and is told why", async ({
  page,
  browser,
  expectedFailures,
}) => {
  const stamp = Date.now();
  // Staff publish a tool page that runs the contrast checker.
  const staff = await browser.newPage(ownClientIp());
  await signInAsNewStaff(staff, "toolsmith");
  await staff.goto("/admin/tools/new");
  await ready(staff);
  await staff.getByLabel("Title").fill(`Contrast ${stamp}`);
  await staff.getByLabel("Text (Markdown)").fill("Check two colours against WCAG 2.2.");
  await staff.getByLabel("Built-in tool").selectOption("contrast-checker");
  await staff.getByLabel("Status").selectOption("published");
  await staff.getByRole("button", { name: "Save" }).click();
  await expect(staff.getByRole("status")).toHaveText("Saved.");
  await staff.close();

  const email = `e2e-tools-${stamp}@example.com`;
  const password = "a tool loving passphrase";
  await registerAndVerify(page, "Sari Lestari", email, password);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto(`/tools/contrast-${stamp}`);
  await ready(page);
  await page.getByLabel("Text colour").fill("#777777");
  await page.getByLabel("Background colour").fill("#ffffff");
  await page.getByRole("button", { name: "Check contrast" }).click();

  // The result appears in place: same address, no page load.
  const result = page.locator("#result");
  await expect(result).toContainText("Contrast ratio 4.48:1");
  await expect(result.getByText("AA, normal text: fail", { exact: true })).toBeVisible();
  await expect(result).toContainText("Nearest text colour that passes AA");
  await expect(page).toHaveURL(new RegExp(`/tools/contrast-${stamp}$`));
  const runsLeft = (await result.locator("p.small").last().textContent()) ?? "";
  const left = Number(runsLeft.match(/^(\d+) runs? left today/)?.[1]);
  expect(left, "the result says how many runs are left").toBeGreaterThan(0);

  // Spend the rest of the day's runs, then one more.
  await page.getByLabel("Text colour").fill("#000000");
  for (let i = left; i > 0; i--) {
    await page.getByRole("button", { name: "Check contrast" }).click();
    await expect(result.locator("p.small").last()).toHaveText(
      i === 1 ? "That was your last run today." : `${i - 1} run${i - 1 === 1 ? "" : "s"} left today.`,
    );
  }
  // The spent quota is answered 429 on purpose; the page explains it (checked below).
  expectedFailures.push(`/api/tools/contrast-${stamp}/use`);
  await page.getByRole("button", { name: "Check contrast" }).click();
  const alert = result.getByRole("alert");
  await expect(alert).toContainText("You have used today's");
  await expect(alert).toContainText("Jakarta time");
  await expect(alert.getByRole("link", { name: "See the plans" })).toHaveAttribute("href", "/saas");

  // The dashboard shows the day's runs against the limit.
  await page.goto("/dashboard/tools");
  await ready(page);
  const row = page.getByRole("row", { name: new RegExp(`Contrast ${stamp}`) });
  await expect(row).toContainText(`${left + 1} of ${left + 1}`);
});
