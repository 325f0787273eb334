// #22 point 3 in the browser: an admin chooses all 500 agreements of a
// filtered list, previews them with the new partner (one row each),
// submits the eligible ones and downloads the result, which matches the
// table row for row; in English, two ticked agreements, one of which
// cannot change. Axe and screenshots at 1280 and 390 px of each state;
// every form post redirects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, signIn, watchFormPosts, look, api } from "./harness.mjs";

let server;
let browser;
const resubmittable = [];

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  assert.deepEqual(resubmittable, [], "every form post redirects");
});

/** 500 contracts of Muster Bau with the product "Vault", served by CAD Partner. */
async function import500() {
  const t = await api(server, "POST", "/api/v1/tokens", null, { email: "olga@vendor.example", password: "kontor-demo" });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const agreements = Array.from({ length: 500 }, (_, i) => ({
    number: `1199${String(i).padStart(8, "0")}`, kind: "contract", account: "7000000001",
    products: [{ name: "Vault", seats: 1 }], term_start: "2026-01-01", term_end: "2028-06-30",
    auto_renew: false, program: "standard", support_level: "standard", status: "active",
    partners: ["5100000001"],
  }));
  const res = await api(server, "POST", "/api/v1/import", t.body.token, { agreements });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

test("500 agreements of a filtered list are previewed, submitted and downloaded (de)", async () => {
  await import500();
  const page = await signIn(browser, server, "anna@muster.example", "de");
  watchFormPosts(page, resubmittable);
  await page.goto(`${server.base}/agreements?q=Vault`);
  await page.getByRole("button", { name: "Partner aller Verträge dieser Liste wechseln" }).click();
  await page.waitForURL(/\/agreements\/bulk\/[0-9a-f-]+$/);
  assert.match(await page.textContent("main"), /500 Verträge ausgewählt/);
  await look(page, "de", "bulk-chosen");
  await page.fill("#csn", "5100000002");
  await page.getByRole("button", { name: "Verträge prüfen" }).click();
  await page.waitForURL(/csn=5100000002/);
  assert.equal(await page.locator("tr[data-agreement]").count(), 500);
  const states = await page.locator("tr[data-agreement] td:last-child").allTextContents();
  assert.equal(states.filter((t) => t.trim().endsWith("Kann wechseln")).length, 500);
  await look(page, "de", "bulk-preview");
  await page.getByRole("button", { name: "Partner der 500 Verträge wechseln, die wechseln können" }).click();
  await page.waitForURL(/\/agreements\/bulk\/[0-9a-f-]+$/);
  assert.match(await page.textContent("[role=status]"), /500 Wechsel wurden beantragt; kein Vertrag wurde ausgelassen/);
  const rows = await page.locator("tr[data-agreement]").evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.agreement, tr.querySelector("td:last-child").textContent.trim()]));
  assert.equal(rows.length, 500);
  assert.ok(rows.every(([, state]) => state.endsWith("In Bearbeitung")), JSON.stringify(rows.slice(0, 3)));
  await look(page, "de", "bulk-result");
  // The CSV: the same agreements in the same order, each submitted and pending.
  const csv = await (await page.request.get(`${page.url()}/result.csv`)).text();
  const lines = csv.trim().split("\n");
  assert.equal(lines[0], "Vertrag,Ergebnis,Anfrage,Stand der Anfrage,Warum nicht");
  assert.deepEqual(lines.slice(1).map((l) => l.split(",")[0]), rows.map(([n]) => n));
  assert.ok(lines.slice(1).every((l) => /,Beantragt,[0-9a-f-]{36},In Bearbeitung,$/.test(l)), lines[1]);
  await page.context().close();
});

test("two ticked agreements, one of which cannot change (en)", async () => {
  const page = await signIn(browser, server, "bernd@muster.example", "en");
  watchFormPosts(page, resubmittable);
  await page.goto(`${server.base}/agreements`);
  await page.getByLabel("Choose agreement 110000000002").check();
  await page.getByLabel("Choose agreement 110000000001").check();
  await page.getByRole("button", { name: "Change partner of selected agreements" }).click();
  await page.waitForURL(/\/agreements\/bulk\/[0-9a-f-]+$/);
  await page.fill("#csn", "5100000004");
  await page.getByRole("button", { name: "Check the agreements" }).click();
  await page.waitForURL(/csn=5100000004/);
  const row = (n) => page.locator(`tr[data-agreement="${n}"] td:last-child`);
  assert.match(await row("110000000002").textContent(), /Renews automatically/);
  await look(page, "en", "bulk-preview-mixed");
  await page.getByRole("button", { name: /Change the partner of the one agreement/ }).click();
  await page.waitForURL(/\/agreements\/bulk\/[0-9a-f-]+$/);
  assert.match(await page.textContent("[role=status]"), /One change was requested; one agreement was left out/);
  assert.match(await row("110000000002").textContent(), /Renews automatically/);
  await look(page, "en", "bulk-result-mixed");
  await page.context().close();
});
