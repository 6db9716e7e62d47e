import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

// Without SMTP, Atelier writes each mail as an .eml file into OUTBOX_DIR.
const outbox = process.env.OUTBOX_DIR ?? "outbox";

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The newest mail to `address`, waiting up to 15 s for the first. */
export async function mailTo(address: string): Promise<string> {
  return mailWith(address, "");
}

/**
 * The newest mail to `address` that contains `text`, waiting up to `timeout` ms for it.
 * (Two mails for one event — a receipt and a download link — are sent by jobs in either
 * order, so "the newest mail" may be the other one.)
 */
export async function mailWith(address: string, text: string, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    let files: string[] = [];
    try {
      files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
    } catch {
      /* the folder appears with the first mail */
    }
    const mails = files
      .map((f) => join(outbox, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
      .map((f) => decodeQuotedPrintable(readFileSync(f, "utf8")))
      .filter((m) => m.includes(`To: ${address}`) && m.includes(text));
    if (mails.length > 0) return mails[0];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${address}${text ? ` with "${text}"` : ""} in ${outbox}`);
}

/** Waits until the WebAssembly has hydrated the page. */
export async function ready(page: Page) {
  // Only a page with an island loads the WebAssembly; the others are ready once loaded.
  await page.waitForLoadState("load");
  if ((await page.locator("leptos-island").count()) > 0) {
    await page.locator("body[data-hydrated]").waitFor();
  }
}

/** Registers through the form and confirms the address from the mail. */
export async function registerAndVerify(page: Page, name: string, email: string, password: string) {
  await page.goto("/register");
  await ready(page);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/verify-email\?sent=1$/);
  const mail = await mailTo(email);
  const link = mail.match(/https?:\/\/[^\s"<]+\/verify-email\?token=[0-9a-f]+/)?.[0];
  expect(link, "the welcome mail has a confirmation link").toBeTruthy();
  await page.goto(link!);
  await ready(page);
  await expect(page.getByRole("status").first()).toContainText("Your email is confirmed");
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await ready(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Creates a staff account with the real command line, as an operator would. */
export function createStaff(email: string, password: string) {
  const binary = resolve(__dirname, "../../target/debug/atelier");
  execFileSync(binary, ["admin", "create", "--email", email], { input: `${password}\n`, cwd: resolve(__dirname, "../..") });
}

/**
 * Sign-in is rate limited per client IP (5 a minute). The e2e server trusts
 * X-Forwarded-For (read from loopback, a trusted proxy by default), so each spec file acts as its own visitor.
 */
export function ownClientIp() {
  const octet = () => 1 + Math.floor(Math.random() * 250);
  return { extraHTTPHeaders: { "X-Forwarded-For": `10.${octet()}.${octet()}.${octet()}` } };
}

/** Creates a staff account (named after `role` and the time) and signs it in; lands on /admin. */
export async function signInAsNewStaff(page: Page, role: string) {
  const email = `${role}-${Date.now()}@studio.example`;
  createStaff(email, "a staff passphrase");
  await signIn(page, email, "a staff passphrase");
  await expect(page).toHaveURL(/\/admin$/);
}
