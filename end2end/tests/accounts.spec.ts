import { test, expect } from "./fixtures";
import { mailTo, mailWith, ready, ownClientIp, registerAndVerify, signIn } from "./helpers";

test.use(ownClientIp());

test("a person registers, opens the link from the mail, signs in, reaches the dashboard and signs out", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = "a long and happy passphrase";

  await page.goto("/register");
  await ready(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create an account");
  await page.getByLabel("Your name").fill("Rina Wijaya");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/verify-email\?sent=1$/);
  await expect(page.getByRole("status").first()).toContainText("Check your inbox");

  const mail = await mailTo(email);
  const link = mail.match(/https?:\/\/[^\s"<]+\/verify-email\?token=[0-9a-f]+/)?.[0];
  expect(link, "the welcome mail has a confirmation link").toBeTruthy();
  await page.goto(link!);
  await ready(page);
  await expect(page.getByRole("status").first()).toContainText("Your email is confirmed");

  await page.getByRole("link", { name: "Sign in to your dashboard" }).click();
  await expect(page).toHaveURL(/\/login\?next=\/dashboard$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match an account");

  // The form is a plain POST: the page comes back with the error and the email as typed (never the password).
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your dashboard");
  await expect(page.getByText("Rina Wijaya")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);
  await expect(page.getByRole("status")).toContainText("You are signed out");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=\/dashboard$/);
});

test("the sign-in form works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("whatever it is");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match an account");
  await context.close();
});

test("a member changes their password and signs in with the new one", async ({ page }) => {
  const email = `e2e-pw-${Date.now()}@example.com`;
  const [old, fresh] = ["the first long passphrase", "the second long passphrase"];
  await registerAndVerify(page, "Dimas Prakoso", email, old);
  await signIn(page, email, old);
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/dashboard/profile");
  await ready(page);
  await page.getByLabel("Current password").fill("not the passphrase");
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("New password, again").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert")).toContainText("Your current password is not right");

  await page.getByLabel("Current password").fill(old);
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("New password, again").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/dashboard\/profile\?password=1$/);
  await expect(page.getByRole("status")).toContainText("Your password was changed");
  // The mail to the member, once the queue has sent it.
  await mailWith(email, "Your Atelier password was changed");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, email, fresh);
  await expect(page).toHaveURL(/\/dashboard$/);
});
