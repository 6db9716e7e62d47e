import { test, expect } from "./fixtures";

test("the home page renders the studio's site", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Atelier");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Software made with care/);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("contentinfo")).toContainText("Atelier");
});

test("on a phone the menu opens and closes without any script, and public pages load none", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (req) => {
    if (/\.(js|wasm)(\?|$)/.test(req.url())) scripts.push(req.url());
  });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  const toggle = page.locator("label.menu-toggle").first();
  await expect(toggle).toBeVisible();
  const about = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "About" });
  await expect(about).toBeHidden();
  const open = page.getByRole("checkbox", { name: "Menu" });
  await expect(open).not.toBeChecked();

  await toggle.click();
  await expect(open).toBeChecked();
  await expect(about).toBeVisible();
  await toggle.click();
  await expect(about).toBeHidden();

  // The keyboard works it too (the switch takes focus; space toggles it).
  await open.focus();
  await page.keyboard.press("Space");
  await expect(about).toBeVisible();

  // Following a link opens the page, its menu closed again.
  await about.click();
  await expect(page).toHaveURL(/\/about$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("About Atelier");
  await expect(page.getByRole("checkbox", { name: "Menu" })).not.toBeChecked();
  for (const path of ["/products", "/blog", "/contact"]) await page.goto(path);
  expect(scripts, "public pages fetch no script or WebAssembly").toEqual([]);
});

test("assets have content-hashed names and are cached for a year", async ({ page, request }) => {
  await page.goto("/");
  const html = await page.content();
  const match = html.match(/\/pkg\/atelier\.[A-Za-z0-9_-]+\.css/);
  expect(match, "a hashed /pkg/atelier.<hash>.css is linked").not.toBeNull();
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
