import { test, expect } from "./fixtures";
import { mailTo, ready, signIn, signInAsNewStaff, ownClientIp } from "./helpers";

test.use(ownClientIp());

test.setTimeout(90_000);

test("staff invite a client and quote a project; the client accepts, pays the first invoice, downloads the released deliverable, approves it and writes; staff see it all", async ({ page, browser }) => {
  const stamp = Date.now();
  const company = `PT Kopi ${stamp}`;
  const email = `dewi-${stamp}@kopi.example`;
  const password = "a client's long passphrase";

  // Staff create the client and invite Dewi.
  const staff = await browser.newPage(ownClientIp());
  await signInAsNewStaff(staff, "portal");
  await staff.goto("/admin/clients");
  await ready(staff);
  await staff.getByLabel("Company name").fill(company);
  await staff.getByRole("button", { name: "Create client" }).click();
  await expect(staff).toHaveURL(/\/admin\/clients\/\d+$/);
  await ready(staff);
  await staff.getByLabel("Name", { exact: true }).fill("Dewi");
  await staff.getByLabel("Email").fill(email);
  await staff.getByRole("button", { name: "Invite" }).click();
  await expect(staff.getByRole("status").first()).toHaveText("Invitation sent.");
  const invitation = await mailTo(email);

  // A project (started from the client's page) with two milestones and a quote splitting it 40 / 60.
  await staff.getByLabel("Project name").fill(`Café site ${stamp}`);
  await staff.getByLabel("Status").selectOption("active");
  await staff.getByRole("button", { name: "Create project" }).click();
  await expect(staff).toHaveURL(/\/admin\/projects\/\d+\?saved=1$/);
  const projectUrl = new URL(staff.url()).pathname;
  await ready(staff);
  for (const [title, due] of [["Design", "2099-01-15"], ["Build", "2099-03-01"]]) {
    await staff.locator("#m-title").fill(title);
    await staff.locator("#m-due").fill(due);
    await staff.getByRole("button", { name: "Add milestone" }).click();
    await expect(staff.locator("table").first()).toContainText(title);
  }
  await staff.getByLabel("Quote title").fill("Café website");
  await staff.getByLabel("Line items").fill("Design | 1 | 10.000.000\nBuild | 1 | 15.000.000");
  await staff.getByLabel("Payment schedule (%)").fill("40 / 60");
  await staff.getByRole("button", { name: "Create quote" }).click();
  await expect(staff.locator("#quotes")).toContainText("Rp 25.000.000");
  await staff.getByRole("button", { name: "Send to client" }).click();
  await expect(staff.locator("#quotes")).toContainText("Waiting for the client");

  // The Design files, held until the Design invoice is paid.
  await staff.getByLabel("Title (for a new one)").fill("Design files");
  await staff.locator("#d-milestone").selectOption({ label: "Design" });
  await staff.getByLabel("Release when the milestone's invoice is paid").check();
  await staff.getByLabel("File", { exact: true }).setInputFiles({ name: "design.zip", mimeType: "application/zip", buffer: Buffer.from("PK design files") });
  await staff.getByRole("button", { name: "Upload deliverable" }).click();
  await expect(staff.getByText("Uploaded: the client's people have been told.")).toBeVisible();

  // Dewi chooses her password from the invitation and signs in to the portal.
  const link = invitation.match(/https?:\/\/[^\s"<]+\/reset-password\?token=[0-9a-f]+/)?.[0];
  expect(link, "the invitation has a link to choose a password").toBeTruthy();
  await page.goto(link!);
  await ready(page);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Confirm new password").fill(password);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/client$/);
  await ready(page);

  // She accepts the quote; the deliverable is locked until the Design invoice is paid.
  await page.getByRole("link", { name: `Café site ${stamp}` }).click();
  await ready(page);
  await expect(page.locator("#deliverables")).toContainText("Locked: Released once the invoice for Design is paid");
  await page.getByRole("button", { name: "Accept quote" }).click();
  await expect(page.getByText("Thank you: your answer is recorded")).toBeVisible();
  await expect(page.locator("#quotes")).toContainText(`Accepted by Dewi <${email}>`);

  // Staff send the Design invoice.
  await staff.goto(projectUrl);
  await ready(staff);
  const design = staff.locator("article.invoice-row", { hasText: ": Design" });
  await design.getByRole("button", { name: "Send invoice" }).click();
  await expect(staff.locator("article.invoice-row", { hasText: ": Design" })).toContainText("INV-");

  // Dewi pays it in the sandbox.
  await page.goto("/client/invoices");
  await ready(page);
  await page.getByRole("link", { name: /^INV-/ }).click();
  await ready(page);
  await page.getByRole("button", { name: "Pay Rp 10.000.000" }).click();
  await expect(page).toHaveURL(/\/checkout\/sandbox\/ATL-/);
  await ready(page);
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page).toHaveURL(/\/client\/invoices\/\d+$/);
  await ready(page);
  await expect(page.getByText("Paid online")).toBeVisible();

  // The deliverable is released: she downloads it, approves it, and writes to the studio.
  await page.goto(projectUrl.replace("/admin/", "/client/"));
  await ready(page);
  await expect(page.locator("#deliverables")).not.toContainText("Locked");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Version 1 · design\.zip/ }).click();
  expect((await download).suggestedFilename()).toBe("design.zip");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByText("Thank you: the studio has been told.")).toBeVisible();
  await page.getByLabel("Message", { exact: true }).fill("The designs look **great**, go ahead.");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByText("Message sent.")).toBeVisible();

  // Staff see the approval and the message.
  await staff.goto("/admin/projects");
  await ready(staff);
  await expect(staff.locator("tr", { hasText: `Café site ${stamp}` })).toContainText("1 new message");
  await staff.goto(projectUrl);
  await ready(staff);
  await expect(staff.locator("#deliverables")).toContainText("Approved");
  await expect(staff.locator("#messages")).toContainText("The designs look great, go ahead.");
  await expect(staff.locator("#activity")).toContainText("Deliverable \"Design files\" version 1 approved — Dewi");
  await staff.close();
});
