import { test, expect } from "./fixtures";

test("the home page renders the studio's site", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Atelier");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Software made with care/);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("contentinfo")).toContainText("Atelier");
});

test("after hydration the menu button opens and closes the menu on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  // The button only appears once the WebAssembly has hydrated the page.
  const toggle = page.getByRole("button", { name: "Menu" });
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  const about = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "About" });
  await expect(about).toBeHidden();

  await toggle.click();
  const close = page.getByRole("button", { name: "Close" });
  await expect(close).toHaveAttribute("aria-expanded", "true");
  await expect(about).toBeVisible();

  // Following a link opens the page, its menu closed again.
  await about.click();
  await expect(page).toHaveURL(/\/about$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("About Atelier");
  await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
});

test("assets have content-hashed names and are cached for a year", async ({ page, request }) => {
  await page.goto("/");
  const html = await page.content();
  const match = html.match(/\/pkg\/atelier\.[A-Za-z0-9_-]+\.js/);
  expect(match, "a hashed /pkg/atelier.<hash>.js is linked").not.toBeNull();
  const res = await request.get(match![0]);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("immutable");
});

test("an unknown address shows the not-found page with status 404", async ({ page }) => {
  const response = await page.goto("/this/does/not/exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("a visitor sent to the dashboard lands on sign-in", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
});
