// #22 change at renewal in the browser: an admin of an auto-renewing
// contract names the partner for the next renewal (search, review, name),
// sees it on the agreement, and withdraws it after confirming. German and
// English; axe and screenshots at 1280 and 390 px of each state; every
// form post redirects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, signIn, watchFormPosts, look } from "./harness.mjs";

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

const words = {
  de: {
    offer: "Partner für die Verlängerung benennen",
    name: "Diesen Partner benennen",
    named: /Ab der Verlängerung am .* betreut Sie BIM Solutions AG/,
    withdraw: "Benennung zurückziehen",
    withdrawn: /Benennung für die Verlängerung wurde zurückgezogen/,
  },
  en: {
    offer: "Name the partner for the renewal",
    name: "Name this partner",
    named: /From the renewal on .*, BIM Solutions AG .* serves you/,
    withdraw: "Withdraw",
    withdrawn: /partner named for the renewal was withdrawn/,
  },
};

for (const [lang, email] of [["de", "anna@muster.example"], ["en", "bernd@muster.example"]]) {
  test(`an admin names and withdraws the partner for the renewal (${lang})`, async () => {
    const w = words[lang];
    const page = await signIn(browser, server, email, lang);
    watchFormPosts(page, resubmittable);
    await page.goto(`${server.base}/agreements/110000000002`);
    await page.getByRole("link", { name: w.offer }).click();
    await page.waitForURL(/\/renewal-partner$/);
    await look(page, lang, "renewal-search");
    await page.fill("#csn", "5100000002");
    await page.locator("form[action$='/renewal-partner'][method=get] button[type=submit]").click();
    await page.getByRole("button", { name: w.name }).waitFor();
    await look(page, lang, "renewal-found");
    await page.getByRole("button", { name: w.name }).click();
    await page.waitForURL(/flash=renewal-named/);
    assert.match(await page.textContent("#renewal-h + p"), w.named);
    await look(page, lang, "renewal-named");
    await page.getByRole("link", { name: w.withdraw, exact: true }).click();
    await page.waitForURL(/\/withdraw$/);
    await look(page, lang, "renewal-withdraw-confirm");
    await page.getByRole("button", { name: w.withdraw, exact: true }).click();
    await page.waitForURL(/flash=renewal-withdrawn/);
    assert.match(await page.textContent("[role=status]"), w.withdrawn);
    await look(page, lang, "renewal-withdrawn");
    await page.context().close();
  });
}
