import { test, expect } from "./fixtures";
import { createStaff, mailWith, ownClientIp, ready, signIn } from "./helpers";

test.use(ownClientIp());

// The journey runs against a studio that speaks English (STUDIO_LANGUAGE=en in .ci/test):
// its Indonesian version is under /id.
test("a visitor switches a product page to Bahasa Indonesia, registers there, is written to in Indonesian and has an Indonesian dashboard", async ({ page }) => {
  const stamp = Date.now();
  const staffEmail = `staff-lang-${stamp}@studio.example`;
  createStaff(staffEmail, "a staff passphrase");
  await signIn(page, staffEmail, "a staff passphrase");
  await page.goto("/admin/products/new");
  await ready(page);
  await page.getByLabel("Name").fill(`Font Kit ${stamp}`);
  await page.getByLabel("Slug").fill(`font-kit-${stamp}`);
  await page.getByLabel("Status").selectOption("active");
  await page.getByLabel("Price (IDR)").fill("150.000");
  await page.getByLabel("Summary").fill("Twelve families, licensed for the web.");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Sign out" }).click();

  // The English page links its Indonesian version in the footer, named in Indonesian.
  await page.goto(`/products/font-kit-${stamp}`);
  await ready(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("link", { name: "Bahasa Indonesia" }).click();
  await expect(page).toHaveURL(new RegExp(`/id/products/font-kit-${stamp}$`));
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Font Kit ${stamp}`);
  await expect(page.getByText("Halaman ini belum diterjemahkan")).toBeVisible();
  // Back and forth: the switcher keeps the visitor on the same page.
  await expect(page.getByRole("link", { name: "English" })).toHaveAttribute("href", `/products/font-kit-${stamp}`);

  await page.getByRole("link", { name: "Masuk untuk membeli" }).click();
  await expect(page).toHaveURL(/\/id\/login\?next=/);
  await page.getByRole("link", { name: "Buat akun" }).click();
  await expect(page).toHaveURL(/\/id\/register$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Buat akun");

  const email = `lang-${stamp}@example.com`;
  const password = "sebuah kata sandi yang panjang";
  await page.getByLabel("Nama Anda").fill("Sari Lestari");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi", { exact: true }).fill(password);
  await page.getByLabel("Ulangi kata sandi").fill(password);
  await page.getByRole("button", { name: "Daftar" }).click();
  await expect(page).toHaveURL(/\/id\/verify-email\?sent=1$/);
  await expect(page.getByRole("status").first()).toContainText("Periksa kotak masuk Anda");

  // The welcome mail is Indonesian, and its link opens the Indonesian page.
  const mail = await mailWith(email, "Konfirmasi email saya");
  expect(mail).toContain("Selamat datang di");
  const link = mail.match(/https?:\/\/[^\s"<]+\/id\/verify-email\?token=[0-9a-f]+/)?.[0];
  expect(link, "the link opens the Indonesian version").toBeTruthy();
  await page.goto(link!);
  await ready(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("status").first()).toContainText("Email Anda sudah terkonfirmasi");
  await page.getByRole("link", { name: "Masuk ke dasbor Anda" }).click();
  await expect(page).toHaveURL(/\/id\/login\?next=\/dashboard$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // The dashboard speaks the language of the version of the site the account was made on.
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dasbor Anda");
  await expect(page.getByRole("button", { name: "Keluar" })).toBeVisible();
});
