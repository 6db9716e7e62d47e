import { test, expect } from "./fixtures";
import { ready, signInAsNewStaff, ownClientIp } from "./helpers";
import type { Page } from "@playwright/test";

test.use(ownClientIp());

// A 48 × 48 px blue PNG.
const LOGO = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAAZElEQVR4nO3PMQ0AIADAMESgDsW4AhEcDcmO/d2Ya5+fGxrQgAY0oAENaEADGtCABjSgAQ1oQAMa0IAGNKABDWhAAxrQgAY0oAENaEADGtCABjSgAQ1oQAMa0IAGNKABDWjAaxeYE94ec/jYtAAAAABJRU5ErkJggg==",
  "base64",
);

async function saveSettings(page: Page, name: string, accent: string) {
  await page.goto("/admin/settings");
  await ready(page);
  await page.getByLabel("Studio name").fill(name);
  await page.getByLabel("Accent colour").fill(accent);
  await page.getByRole("button", { name: "Save settings" }).click();
}

test("staff make the site the studio's own: its name, accent colour and logo show on the next page a visitor opens", async ({ page, browser }) => {
  const stamp = Date.now();
  const name = `Studio Contoh ${stamp}`;
  await signInAsNewStaff(page, "brand");
  try {
    // A colour too faint under white button text is refused, with one that passes.
    await saveSettings(page, name, "#7CC4FF");
    const refusal = page.getByRole("alert");
    await expect(refusal).toContainText("has a contrast of 1.87:1 with white button text; WCAG AA needs 4.5:1.");
    const nearest = /passes is (#[0-9A-F]{6})/.exec((await refusal.textContent()) ?? "")?.[1];
    expect(nearest).toBeTruthy();
    await saveSettings(page, name, nearest!);
    await expect(page.getByRole("status")).toHaveText("Settings saved.");

    await page.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: LOGO });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await expect(page.getByRole("status")).toHaveText("The logo was saved: every page shows it now.");
    await expect(page.getByRole("img", { name: "The logo as it is now" })).toBeVisible();

    // The home page's headline, edited as content.
    await page.goto("/admin/home");
    await ready(page);
    await page.getByLabel("Headline").fill(`Websites for bakeries, from ${name}`);
    await page.getByRole("button", { name: "Save home page" }).click();
    await expect(page.getByRole("status")).toHaveText("Home page saved: visitors see it now.");

    // A visitor sees the studio: its name in the title and header, its logo, its colour, its words.
    const visitor = await browser.newPage();
    await visitor.goto("/products");
    await ready(visitor);
    await expect(visitor).toHaveTitle(`Products · ${name}`);
    const home = visitor.getByRole("banner").getByRole("link", { name: `${name}, home` });
    await expect(home).toContainText(name);
    await expect(home.locator("img")).toHaveJSProperty("naturalWidth", 48);
    const hex = nearest!.slice(1).match(/../g)!.map((h) => parseInt(h, 16));
    await expect(visitor.locator("a.button").first()).toHaveCSS("background-color", `rgb(${hex.join(", ")})`);
    const icon = await visitor.request.get((await visitor.locator('link[rel="icon"]').getAttribute("href"))!);
    expect(icon.headers()["content-type"]).toBe("image/png");
    await visitor.goto("/");
    await ready(visitor);
    await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(`Websites for bakeries, from ${name}`);
    await expect(visitor).toHaveTitle(name);
    await visitor.close();
  } finally {
    // Back to the demo's own identity for the journeys after this one.
    await page.goto("/admin/home");
    await ready(page);
    await page.getByLabel("Headline").fill("Software made with care, delivered the moment you need it.");
    await page.getByRole("button", { name: "Save home page" }).click();
    await expect(page.getByRole("status")).toHaveText("Home page saved: visitors see it now.");
    await page.goto("/admin/settings");
    await ready(page);
    const remove = page.getByRole("button", { name: "Remove the logo" });
    if (await remove.count()) {
      await remove.click();
      await expect(page.getByRole("status")).toHaveText("The logo was removed.");
    }
    await saveSettings(page, "Atelier", "");
    await expect(page.getByRole("status")).toHaveText("Settings saved.");
  }
});
