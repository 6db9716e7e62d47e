// cargo-leptos starts the server and runs Playwright at once: wait until it answers.
export default async function globalSetup() {
  const base = `http://${process.env.LEPTOS_SITE_ADDR ?? "127.0.0.1:3000"}`;
  const deadline = Date.now() + 120_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Atelier did not start at ${base}: ${last}`);
}
