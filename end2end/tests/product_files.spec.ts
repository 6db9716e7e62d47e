import { readFileSync } from "node:fs";
import { test, expect } from "./fixtures";
import { mailWith, ready, registerAndVerify, signIn, signInAsNewStaff, ownClientIp } from "./helpers";

test.use(ownClientIp());

test("staff upload a product file, a member buys and downloads it, and version 2 reaches them by mail", async ({ page, browser }) => {
  const stamp = Date.now();
  const v1 = Buffer.from(`icon pack ${stamp} version one `.repeat(20_000));
  const v2 = Buffer.from(`icon pack ${stamp} version two `.repeat(20_000));

  // Staff create the product as a draft and upload its file (with the progress bar).
  const staff = await browser.newPage(ownClientIp());
  await signInAsNewStaff(staff, "files");
  await staff.goto("/admin/products/new");
  await ready(staff);
  await staff.getByLabel("Name").fill(`Icon Kit ${stamp}`);
  await staff.getByLabel("Slug").fill(`icon-kit-${stamp}`);
  await staff.getByLabel("Price (IDR)").fill("120.000");
  await staff.getByLabel("Delivery", { exact: true }).selectOption("email_file");
  await staff.getByRole("button", { name: "Save product" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Saved.");
  const upload = staff.locator("form.file-upload");
  await upload.getByLabel("Label (for a new file)").fill("Icons");
  await upload.getByLabel("Version (optional)").fill("1.0");
  await upload.getByLabel("File", { exact: true }).setInputFiles({ name: "icons-1.0.zip", mimeType: "application/zip", buffer: v1 });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(staff.getByText("File uploaded. Download links now serve it.")).toBeVisible();
  await ready(staff);
  const files = staff.locator("article.product-file");
  await expect(files).toContainText("icons-1.0.zip");
  await expect(files).toContainText("Current");

  // Now it can go on sale.
  await staff.getByLabel("Status").selectOption("active");
  await staff.getByRole("button", { name: "Save product" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Saved.");

  // A member buys it and downloads exactly that file.
  const email = `files-${stamp}@example.com`;
  await registerAndVerify(page, "Sari", email, "a downloading passphrase");
  await signIn(page, email, "a downloading passphrase");
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/products/icon-kit-${stamp}`);
  await ready(page);
  await page.getByRole("button", { name: "Buy (sandbox payment)" }).click();
  await expect(page).toHaveURL(/\/checkout\/sandbox\/ATL-/);
  await ready(page);
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders\/ATL-/);
  await mailWith(email, "Your download is ready");
  await page.goto("/dashboard/downloads");
  await ready(page);
  await expect(page.locator("li.owned-file")).toContainText("Icons · version 1.0");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download Icons" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("icons-1.0.zip");
  expect(readFileSync(await download.path()).equals(v1)).toBe(true);

  // Staff upload version 2 with a changelog and send the update.
  await staff.reload();
  await ready(staff);
  await upload.getByLabel("This upload is").selectOption({ label: "A new version of “Icons”" });
  await upload.getByLabel("Version (optional)").fill("2.0");
  await upload.getByLabel("What changed (Markdown, optional)").fill("Forty **new** icons.");
  await upload.getByLabel("File", { exact: true }).setInputFiles({ name: "icons-2.0.zip", mimeType: "application/zip", buffer: v2 });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(staff.getByText("File uploaded. Download links now serve it.")).toBeVisible();
  await ready(staff);
  await staff.getByRole("button", { name: "Send update" }).click();
  await expect(staff.getByText("Update is on its way to every buyer")).toBeVisible();
  await staff.close();

  // The member's mail brings version 2.
  const mail = await mailWith(email, "Icons 2.0 is out", 20_000);
  expect(mail).toContain("Forty <strong>new</strong> icons.");
  const link = mail.match(/https?:\/\/[^\s"<]+\/files\/[0-9a-f]{64}/)?.[0];
  expect(link, "the update mail has a download link").toBeTruthy();
  const res = await page.request.get(link!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toBe('attachment; filename="icons-2.0.zip"');
  expect((await res.body()).equals(v2)).toBe(true);
});
