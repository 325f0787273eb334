// #18: every page and every error path in the person's language and time,
// forms that never send twice, destructive actions that ask first; axe on
// every page and screenshots of each at 1280 and 390 px in target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, launch, signIn, watchFormPosts, look, screenshotsAtBothWidths,
} from "./harness.mjs";

let server;
let browser;
// Form posts answered with a page instead of a redirect, over the whole file.
const resubmittable = [];
const BERLIN = { timezoneId: "Europe/Berlin" };

before(async () => {
  server = await startServer();
  browser = await launch();
  // A pending change to look at (submitted at 09:00 UTC, due at 10:00 UTC):
  // Anna's first sign-in is from Berlin, so that is her zone from now on.
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000008/partner/review?csn=5100000002`);
  await anna.locator("form[action$='/partner'] button[type=submit]").click();
  await anna.waitForURL(/\/done$/);
  await anna.context().close();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  assert.deepEqual(resubmittable, [], "every form post redirects");
});

async function person(email, lang, options = BERLIN) {
  const page = await signIn(browser, server, email, lang, options);
  watchFormPosts(page, resubmittable);
  return page;
}

async function visitor(lang) {
  const context = await browser.newContext({ locale: lang, viewport: { width: 1200, height: 900 }, ...BERLIN });
  const page = await context.newPage();
  watchFormPosts(page, resubmittable);
  // A visitor's language is the browser's; the switcher makes sure.
  await page.goto(`${server.base}/lang/${lang}?back=/signin`);
  return page;
}

const slug = (path) => path.replace(/^\//, "").replace(/[^a-zA-Z0-9]+/g, "-").replace(/-$/, "") || "root";

const PAGES = {
  "anna@muster.example": [
    "/agreements", "/agreements?kind=contract&status=active", "/agreements/110000000001", "/agreements/110000000008",
    "/agreements/110000000011", "/agreements/110000000012", "/agreements/110000000003", "/agreements/12000000000001",
    "/agreements/110000000001/partner", "/agreements/110000000001/partner?csn=5100000002",
    "/agreements/110000000011/partner/review?csn=5100000004", "/agreements/110000000011/support-case",
    "/account/people", "/account/people/carla%40muster.example/remove", "/account/security", "/account/sso", "/help/single-sign-on",
    "/support-levels", "/changes", "/support-cases", "/account/settings", "/agreements?sort=-term_end&partner=5100000001",
    "/help", "/help?q=Partnerwechsel", "/help/change-partner", "/help/expiring-agreements", "/assistant",
    "/assistant?q=Wie+lange+dauert+es%3F&agreement=110000000002", "/assistant?q=how+long+does+it+take%3F&agreement=110000000012",
  ],
  "carla@muster.example": ["/agreements", "/agreements/110000000001", "/account/settings", "/account/security", "/help/two-factor"],
  "ben@bim-solutions.example": ["/changes", "/changes?tab=outgoing", "/agreements", "/account/settings", "/support-levels", "/help/partner-portal"],
  "sam@vendor.example": ["/support-cases", "/agreements", "/back-office/audit", "/help", "/account/security",
    "/back-office/second-factor-reset", "/back-office/second-factor-reset?email=anna%40muster.example", "/back-office/sso-domains"],
  "olga@vendor.example": [
    "/back-office/partners", "/back-office/partners/new", "/back-office/partners/5100000001", "/back-office/import",
    "/back-office/audit", "/back-office/webhooks", "/back-office/deliveries", "/back-office/deliveries?status=pending",
    "/back-office/accounts", "/back-office/accounts?q=muster", "/back-office/accounts/7000000001", "/agreements?account=7000000002",
    "/back-office/sso-domains",
  ],
};

/** Error paths a person reaches by a link or a query. */
const ERROR_PAGES = {
  "anna@muster.example": [
    "/agreements/110000000008/partner?csn=12345", "/agreements/110000000008/partner?csn=5100000099",
    "/agreements/110000000008/partner?csn=5100000003", "/agreements/does-not-exist", "/back-office/partners",
  ],
};

for (const lang of ["de", "en"]) {
  test(`every page reads in ${lang}, passes axe and fits a phone`, async () => {
    for (const [who, paths] of Object.entries(PAGES)) {
      const page = await person(who, lang);
      for (const path of [...paths, ...(ERROR_PAGES[who] ?? [])]) {
        await page.goto(`${server.base}${path}`);
        await look(page, lang, `${who.split("@")[0]}-${slug(path)}`);
      }
      if (who.startsWith("ben") || who.startsWith("anna")) {
        // A change's own page, reached from the list (the new partner's
        // incoming tab; the customer's list).
        await page.goto(`${server.base}/changes`);
        await page.locator("main td a[href^='/changes/']").first().click();
        await page.waitForURL(/\/changes\/[0-9a-f-]+$/);
        await look(page, lang, `${who.split("@")[0]}-change`);
      }
      if (who.startsWith("anna")) {
        // The question before withdrawing, reached from the pending change.
        await page.goto(`${server.base}/agreements/110000000008`);
        await page.locator("a[href$='/withdraw']").click();
        await page.waitForURL(/\/withdraw$/);
        await look(page, lang, "anna-confirm-withdraw");
      }
      await page.context().close();
    }
    const page = await visitor(lang);
    for (const path of ["/signin", "/signin?expired=1", "/signin?welcome=1", "/password-reset", "/password-reset/not-a-link", "/invite/not-a-link", "/no-such-page", "/help", "/help/sign-in"]) {
      await page.goto(`${server.base}${path}`);
      await look(page, lang, `visitor-${slug(path)}`);
    }
    await page.context().close();
  });

  test(`every form's errors read in ${lang}`, async () => {
    // Sign-in with a wrong password.
    const v = await visitor(lang);
    await v.goto(`${server.base}/signin`);
    await v.fill("#email", "anna@muster.example");
    await v.fill("#password", "not-the-password");
    await v.locator("form[action='/signin'] button.primary").click();
    await v.locator("#signin-error").waitFor();
    await look(v, lang, "error-signin");
    await v.context().close();

    const anna = await person("anna@muster.example", lang);
    // Inviting someone who already has access, and an address that is none.
    await anna.goto(`${server.base}/account/people`);
    for (const [email, name] of [["bernd@muster.example", "Bernd"], ["not-an-address", "X"]]) {
      await anna.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
      await anna.fill("#add-email", email);
      await anna.fill("#add-name", name);
      await anna.locator("form[action='/account/people/invite'] button[type=submit]").click();
      await anna.locator("[role=alert]").first().waitFor();
      await look(anna, lang, `error-invite-${slug(email)}`);
    }
    // A support case naming a partner that does not exist.
    await anna.goto(`${server.base}/agreements/110000000011/support-case`);
    await anna.locator("input[name=replace_partner]").first().check();
    await anna.fill("#case-new", "5100000099");
    await anna.locator("main form button[type=submit]").last().click();
    await anna.locator(".field-error").first().waitFor();
    await look(anna, lang, "error-support-case");
    await anna.context().close();

    const olga = await person("olga@vendor.example", lang);
    // A partner form with nothing in it.
    await olga.goto(`${server.base}/back-office/partners/new`);
    await olga.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
    await olga.locator("main form button[type=submit]").click();
    await olga.locator(".field-error").first().waitFor();
    await look(olga, lang, "error-partner-form");
    // A webhook to a private address.
    await olga.goto(`${server.base}/back-office/webhooks`);
    await olga.fill("#wh-url", "http://10.0.0.1/hook");
    await olga.locator("form[action='/back-office/webhooks'] button[type=submit]").click();
    await olga.locator("ul.errors").waitFor();
    await look(olga, lang, "error-webhook");
    // An import file with broken records.
    await olga.goto(`${server.base}/back-office/import`);
    await olga.setInputFiles("#import-file", {
      name: "import.json", mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ partners: [{ csn: "51", name: "", city: "C", country: "DE", email: "x" }] })),
    });
    await olga.locator("main form button[type=submit]").click();
    await olga.locator("#import-errors-h").waitFor();
    await look(olga, lang, "error-import");
    await olga.context().close();
  });
}

test("times show in the person's zone: Berlin and New York", async () => {
  // Anna signed in first from Berlin (UTC+1 in November): the change due
  // at 10:00 UTC takes effect at 11:00 her time.
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000008`);
  assert.match(await anna.textContent("#pending-h + p"), /25\. November 2026, 11:00 Uhr/);
  await anna.context().close();
  // Dora's browser is in New York (UTC−5): her change reads in her time.
  const dora = await person("dora@example-ltd.example", "en", { timezoneId: "America/New_York" });
  await dora.goto(`${server.base}/agreements/110000000101/partner/review?csn=5100000001`);
  await dora.locator("form[action$='/partner'] button[type=submit]").click();
  await dora.waitForURL(/\/done$/);
  assert.match(await dora.textContent("main"), /no earlier than 25 November 2026, 5:00 am/);
  await dora.goto(`${server.base}/agreements/110000000101`);
  assert.match(await dora.textContent("#pending-h + p"), /25 November 2026, 5:00 am/);
  await screenshotsAtBothWidths(dora, "en-dora-pending-new-york");
  await dora.context().close();
});

test("a reload after a form adds nothing and shows a one-time value no more", async () => {
  const anna = await person("anna@muster.example", "en");
  await anna.goto(`${server.base}/account/people`);
  const people = () => anna.locator("main section[aria-labelledby^=person-]").count();
  const before = await people();
  await anna.fill("#add-email", "gus@muster.example");
  await anna.fill("#add-name", "Gus Guest");
  await anna.locator("form[action='/account/people/invite'] button[type=submit]").click();
  await anna.locator("#invite-link").waitFor();
  assert.equal(await people(), before + 1);
  await anna.reload();
  assert.equal(await people(), before + 1, "the reload invited nobody");
  assert.equal(await anna.locator("#invite-link").count(), 0, "the link is shown once");
  await anna.context().close();

  const olga = await person("olga@vendor.example", "en");
  await olga.goto(`${server.base}/back-office/webhooks`);
  const endpoints = () => olga.locator("main table tbody tr").count();
  const hooks = await endpoints();
  await olga.fill("#wh-url", "https://hooks.example.net/kontor");
  await olga.locator("form[action='/back-office/webhooks'] button[type=submit]").click();
  await olga.waitForURL(/\/back-office\/webhooks$/);
  assert.equal(await endpoints(), hooks + 1);
  await olga.reload();
  assert.equal(await endpoints(), hooks + 1, "the reload added no endpoint");
  await olga.context().close();
});

test("removing access and deleting an endpoint ask first; the question changes nothing", async () => {
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/account/people`);
  const carla = anna.locator("section", { hasText: "carla@muster.example" });
  await carla.locator("a[href$='/remove']").click();
  await anna.waitForURL(/\/remove$/);
  await look(anna, "de", "confirm-remove-access");
  await anna.reload(); // asking again is harmless
  await anna.locator("main a.button").click(); // Abbrechen
  await anna.waitForURL(/\/account\/people$/);
  assert.equal(await anna.locator("section", { hasText: "carla@muster.example" }).locator("select").count() > 0, true,
    "carla still has her role");
  await anna.locator("section", { hasText: "carla@muster.example" }).locator("a[href$='/remove']").click();
  await anna.locator("main form button.danger").click();
  await anna.waitForURL(/\/account\/people/);
  assert.match(await anna.textContent("main"), /carla@muster\.example/);
  assert.equal(await anna.locator("section", { hasText: "carla@muster.example" }).locator("select").count(), 0,
    "carla's access is gone");
  await anna.context().close();

  const olga = await person("olga@vendor.example", "de");
  await olga.goto(`${server.base}/back-office/webhooks`);
  const rows = await olga.locator("main table tbody tr").count();
  assert.ok(rows > 0, "an endpoint to delete");
  await olga.locator("main table tbody tr a[href$='/delete']").first().click();
  await olga.waitForURL(/\/delete$/);
  await look(olga, "de", "confirm-delete-webhook");
  await olga.goto(`${server.base}/back-office/webhooks`);
  assert.equal(await olga.locator("main table tbody tr").count(), rows, "asking deleted nothing");
  await olga.locator("main table tbody tr a[href$='/delete']").first().click();
  await olga.locator("main form button.danger").click();
  await olga.waitForURL(/\/back-office\/webhooks/);
  assert.equal(await olga.locator("main table tbody tr").count(), rows - 1);
  await olga.context().close();
});
