// The seed's flow and its variations, in a real browser (SPEC R3–R9).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, signIn, checkA11y, screenshot } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const WORDS = {
  de: { actions: "Aktionen", update: "Fachhändlerdaten aktualisieren", search: "Suchen", next: "Weiter", submit: "Senden", done: "Fertig",
        csn: "Kontonummer (CSN) des neuen Partners", pending: "Partnerwechsel in Bearbeitung", atLeast: "mindestens 60 Minuten",
        billing: "Rechnungen und Bestellungen", agreements: "Abonnements und Verträge" },
  en: { actions: "Actions", update: "Update partner details", search: "Search", next: "Continue", submit: "Submit", done: "Done",
        csn: "Account number (CSN) of the new partner", pending: "Partner change in progress", atLeast: "at least 60 minutes",
        billing: "Billing and orders", agreements: "Subscriptions and contracts" },
};

for (const [lang, who, number, partner] of [
  ["de", "anna@muster.example", "110000000001", "5100000002"],
  ["en", "dora@example-ltd.example", "110000000101", "5100000001"],
]) {
  test(`the whole seed flow for a contract in ${lang === "de" ? "German" : "English"}`, async () => {
    const w = WORDS[lang];
    const page = await signIn(browser, server, who, lang);
    // Billing and orders › Subscriptions and contracts.
    await page.getByRole("link", { name: w.agreements }).first().click();
    assert.ok((await page.textContent("body")).includes(w.billing));
    await checkA11y(page, `${lang} agreement list`);
    await page.getByRole("link", { name: number }).click();
    await checkA11y(page, `${lang} agreement detail`);
    // Actions › Update partner details.
    assert.ok(await page.getByRole("heading", { name: w.actions }).isVisible());
    await page.getByRole("link", { name: w.update }).click();
    // Enter the new partner's CSN, Search.
    await page.getByLabel(w.csn).fill(partner.replace(/(\d{4})(\d{6})/, "$1-$2"));
    await page.getByRole("button", { name: w.search }).click();
    await checkA11y(page, `${lang} partner found`);
    // The partner found, Continue.
    await page.getByRole("link", { name: w.next }).click();
    await checkA11y(page, `${lang} review`);
    // Review, Submit.
    await page.getByRole("button", { name: w.submit }).click();
    await page.waitForURL(/\/done$/);
    assert.ok((await page.textContent("main")).includes(w.atLeast));
    await checkA11y(page, `${lang} confirmation`);
    await page.getByRole("link", { name: w.done }).click();
    assert.ok((await page.textContent("main")).includes(w.pending));
    // The clock passes the delay; the worker applies the change.
    assert.match(server.applyDue(), /applied [1-9]/);
    await new Promise((r) => setTimeout(r, 300)); // the audit feed reaches the read cache
    await page.reload();
    const main = await page.textContent("main");
    assert.ok(!main.includes(w.pending), "no longer pending");
    assert.ok(main.includes(partner), "new partner of record shown");
    await screenshot(page, `seed-flow-${lang}`);
    await page.context().close();
  });
}

test("a blocked agreement shows every reason before the wizard starts", async () => {
  const page = await signIn(browser, server, "bernd@muster.example", "de");
  await page.goto(`${server.base}/agreements/110000000012`);
  const codes = await page.$$eval("[data-code]", (els) => els.map((e) => e.dataset.code));
  assert.deepEqual(codes, ["auto_renew", "expires_soon", "not_active"]);
  assert.equal(await page.getByRole("link", { name: "Fachhändlerdaten aktualisieren" }).count(), 0);
  await checkA11y(page, "blocked agreement");
  await screenshot(page, "blocked-reasons");
  await page.context().close();
});

test("the multi-partner warning is shown on review", async () => {
  const page = await signIn(browser, server, "bernd@muster.example", "en");
  await page.goto(`${server.base}/agreements/110000000011/partner`);
  await page.getByLabel("Account number (CSN) of the new partner").fill("5100000004");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: "Continue" }).click();
  assert.ok((await page.textContent("main")).includes("All of them will be replaced"));
  await checkA11y(page, "multi-partner review");
  await screenshot(page, "multi-partner-warning");
  await page.context().close();
});

test("wrong CSN formats and an unknown CSN are field errors with the input kept", async () => {
  const page = await signIn(browser, server, "bernd@muster.example", "en");
  await page.goto(`${server.base}/agreements/110000000008/partner`);
  const field = page.getByLabel("Account number (CSN) of the new partner");
  for (const [input, message] of [["12345", "exactly 10 digits"], ["51000000AB", "exactly 10 digits"], ["5100000099", "No partner with this CSN"]]) {
    await field.fill(input);
    await page.getByRole("button", { name: "Search" }).click();
    assert.ok((await page.textContent("#csn-error")).includes(message), input);
    assert.equal(await field.inputValue(), input);
    assert.equal(await field.getAttribute("aria-invalid"), "true");
  }
  await checkA11y(page, "csn errors");
  await screenshot(page, "csn-errors");
  await page.context().close();
});

test("a pending change can be withdrawn", async () => {
  const page = await signIn(browser, server, "bernd@muster.example", "en");
  await page.goto(`${server.base}/agreements/110000000008/partner?csn=5100000004`);
  await page.getByRole("link", { name: "Continue" }).click();
  await page.getByRole("button", { name: "Submit" }).click();
  await page.getByRole("link", { name: "Done" }).click();
  // #18: the first step only asks; reloading the question changes nothing.
  await page.getByRole("link", { name: "Withdraw" }).click();
  assert.ok((await page.textContent("main")).includes("Withdraw this partner change?"));
  await checkA11y(page, "en withdraw confirmation");
  await screenshot(page, "withdraw-confirm");
  await page.reload();
  await page.getByRole("link", { name: "Cancel" }).click();
  assert.ok((await page.textContent("main")).includes("Partner change in progress"));
  await page.getByRole("link", { name: "Withdraw" }).click();
  await page.getByRole("button", { name: "Withdraw" }).click();
  assert.ok((await page.textContent("main")).includes("The partner change was withdrawn."));
  assert.ok(!(await page.textContent("main")).includes("Partner change in progress"));
  await screenshot(page, "withdrawn");
  await page.context().close();
});

test("a user cannot act and is told to ask their administrator", async () => {
  const page = await signIn(browser, server, "carla@muster.example", "de");
  await page.goto(`${server.base}/agreements/110000000001`);
  assert.ok((await page.textContent("main")).includes("Bitte wenden Sie sich an Ihren Administrator"));
  assert.equal(await page.getByRole("link", { name: "Fachhändlerdaten aktualisieren" }).count(), 0);
  await checkA11y(page, "user agreement");
  await screenshot(page, "user-cannot-act");
  await page.context().close();
});

test("a partner sees the incoming change", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000008/partner?csn=5100000002`);
  await anna.getByRole("link", { name: "Weiter" }).click();
  await anna.getByRole("button", { name: "Senden" }).click();
  await anna.context().close();
  const ben = await signIn(browser, server, "ben@bim-solutions.example", "de");
  await ben.getByRole("link", { name: "Partnerwechsel" }).click();
  const table = await ben.textContent("table");
  assert.ok(table.includes("110000000008") && table.includes("In Bearbeitung"));
  await checkA11y(ben, "partner changes");
  await screenshot(ben, "partner-incoming");
  await ben.context().close();
});

test("pages work at phone width", async () => {
  const context = await browser.newContext({ locale: "en", viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/signin`);
  await checkA11y(page, "sign-in");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "no horizontal scrolling");
  await screenshot(page, "signin-phone");
  await context.close();
});

test("the API docs page renders offline under the content security policy", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  await page.goto(`${server.base}/api/docs/`);
  await page.getByText("kontor API").first().waitFor();
  assert.deepEqual(problems, []);
  await screenshot(page, "api-docs");
  await context.close();
});

test("every other page passes the accessibility check", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "en");
  for (const path of ["/account/people", "/support-levels", "/changes", "/agreements?kind=contract&status=active"]) {
    await anna.goto(`${server.base}${path}`);
    await checkA11y(anna, path);
  }
  await screenshot(anna, "people");
  await anna.context().close();
  const olga = await signIn(browser, server, "olga@vendor.example", "de");
  for (const path of ["/back-office/partners", "/back-office/partners/new", "/back-office/partners/5100000001", "/back-office/import",
                      "/back-office/audit", "/support-cases", "/agreements"]) {
    await olga.goto(`${server.base}${path}`);
    await checkA11y(olga, path);
  }
  await olga.goto(`${server.base}/agreements/does-not-exist`);
  await checkA11y(olga, "404 page");
  await screenshot(olga, "not-found-de");
  await olga.context().close();
});

test("changing only one of several partners goes through a support case", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "en");
  await anna.goto(`${server.base}/agreements/110000000011/partner/review?csn=5100000004`);
  await anna.getByRole("link", { name: "Change only one of several partners" }).click();
  await checkA11y(anna, "support case form");
  await anna.getByLabel(/CAD Partner GmbH/).check();
  await anna.getByLabel("Account number (CSN) of the new partner").fill("5100000004");
  await anna.getByRole("button", { name: "Open support case" }).click();
  await anna.waitForURL(/\/support-cases\//);
  const caseUrl = anna.url();
  await checkA11y(anna, "support case");
  await anna.context().close();
  const sam = await signIn(browser, server, "sam@vendor.example", "en");
  await sam.goto(caseUrl);
  await sam.getByRole("button", { name: "Replace this partner" }).click();
  assert.ok((await sam.textContent("main")).includes("Resolved"));
  await sam.goto(`${server.base}/agreements/110000000011`);
  const partners = await sam.textContent("#partners-h + ul");
  assert.ok(partners.includes("5100000004") && !partners.includes("5100000001"), partners);
  await screenshot(sam, "support-case-resolved");
  await sam.context().close();
});
