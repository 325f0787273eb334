// #19: finding agreements in the browser — the search by a partner's name
// and by its CSN, the partner filter, sorting by a column header — and the
// partner's incoming and outgoing tabs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, signIn, checkA11y } from "./harness.mjs";

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

/** The agreement numbers the list shows, in its order. */
// The number's link (an admin's rows start with a checkbox).
const listed = (page) => page.locator("main tbody tr a[href^='/agreements/']").allTextContents();

test("the search finds agreements by a partner's name and CSN; filter and sort narrow and order", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements`);
  for (const q of ["BIM", "5100000002", "5100-000002"]) {
    await anna.fill("#f-q", q);
    await anna.locator("form[role=search] button[type=submit]").click();
    await anna.waitForURL(/q=/);
    assert.deepEqual((await listed(anna)).sort(), ["110000000011", "12000000000002"], q);
  }
  await anna.fill("#f-q", "");
  await anna.selectOption("#f-partner", "5100000002");
  await anna.locator("form[role=search] button[type=submit]").click();
  await anna.waitForURL(/partner=5100000002/);
  assert.deepEqual((await listed(anna)).sort(), ["110000000011", "12000000000002"]);
  await checkA11y(anna, "agreements filtered by partner");

  // Sorting by the term end header, then reversing it.
  await anna.goto(`${server.base}/agreements`);
  await anna.locator("main thead a.sort").nth(1).click();
  await anna.waitForURL(/sort=term_end/);
  const ends = await anna.locator("main tbody tr").count();
  assert.ok(ends > 10);
  assert.equal(await anna.locator("main thead th[aria-sort=ascending]").count(), 1);
  await anna.locator("main thead th[aria-sort=ascending] a").click();
  await anna.waitForURL(/sort=-term_end/);
  assert.equal(await anna.locator("main thead th[aria-sort=descending]").count(), 1);
  await anna.context().close();
});

test("a partner finds a change under incoming or outgoing and opens its page", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000001/partner/review?csn=5100000002`);
  await anna.locator("form[action$='/partner'] button[type=submit]").click();
  await anna.waitForURL(/\/done$/);
  await anna.context().close();

  const ben = await signIn(browser, server, "ben@bim-solutions.example", "de");
  await ben.goto(`${server.base}/changes`);
  assert.equal(await ben.getByRole("link", { name: "Eingehend" }).getAttribute("aria-current"), "page");
  assert.match(await ben.textContent("main tbody"), /Muster Bau AG \(7000000001\)/);
  await ben.getByRole("link", { name: "Ausgehend" }).click();
  await ben.waitForURL(/tab=outgoing/);
  assert.equal(await ben.locator("main tbody tr").count(), 0);
  await ben.getByRole("link", { name: "Eingehend" }).click();
  await ben.locator("main td a[href^='/changes/']").first().click();
  await ben.waitForURL(/\/changes\/[0-9a-f-]+$/);
  assert.match(await ben.textContent("main"), /Wird durchgeführt am/);
  assert.match(await ben.textContent("main"), /AutoCAD \(5 Plätze\)/);
  await checkA11y(ben, "change page of the new partner");
  await ben.context().close();

  const paul = await signIn(browser, server, "paul@cad-partner.example", "de");
  await paul.goto(`${server.base}/changes?tab=outgoing`);
  assert.equal(await paul.locator("main td a[href^='/changes/']").count(), 1);
  await paul.context().close();
});
