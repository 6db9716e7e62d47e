import { test as base, expect, type BrowserContext } from "@playwright/test";

/**
 * Every journey fails on a browser console error or an uncaught page error, in any
 * page it opens (also pages of contexts it creates itself): a hydration mismatch or
 * a panic in an island fails CI. Chromium also reports every non-2xx document as a
 * console error; an error page the journey navigated to on purpose is not a fault
 * (the journey checks its status itself). Neither is an answer a journey says it
 * provokes on purpose (`expectedFailures.push("/api/tools/")`: a spent quota's 429,
 * which the page explains): the journey checks what the page shows instead.
 */
export const test = base.extend<{ browserErrors: string[]; expectedFailures: string[] }>({
  expectedFailures: async ({}, use) => {
    await use([]);
  },
  browserErrors: [
    async ({ context, browser, expectedFailures }, use) => {
      const errors: string[] = [];
      const watched = new WeakSet<BrowserContext>();
      const documents = new Set<string>();
      const watch = (ctx: BrowserContext) => {
        if (watched.has(ctx)) return;
        watched.add(ctx);
        ctx.on("response", (res) => {
          if (res.request().resourceType() === "document") documents.add(res.url());
        });
        ctx.on("console", (msg) => {
          if (msg.type() !== "error") return;
          const where = msg.location().url;
          if (msg.text().startsWith("Failed to load resource") && documents.has(where)) return;
          if (msg.text().startsWith("Failed to load resource") && expectedFailures.some((p) => where.includes(p))) return;
          errors.push(`console error on ${msg.page()?.url() ?? "?"}: ${msg.text()} (${where})`);
        });
        ctx.on("weberror", (err) => errors.push(`page error on ${err.page()?.url() ?? "?"}: ${err.error().stack ?? err.error()}`));
      };
      watch(context);
      const { newContext, newPage } = browser;
      browser.newContext = async (options) => {
        const ctx = await newContext.call(browser, options);
        watch(ctx);
        return ctx;
      };
      browser.newPage = async (options) => {
        const page = await newPage.call(browser, options);
        watch(page.context());
        return page;
      };
      await use(errors);
      browser.newContext = newContext;
      browser.newPage = newPage;
      expect(errors, "the browser reported no console errors or page errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
