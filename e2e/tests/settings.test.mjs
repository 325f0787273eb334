// #19: a person's own settings in the browser — password change (the old
// one refused afterwards, other sessions signed out), a personal token
// created, used and revoked, the other sessions signed out, and a muted
// notification honoured by the next mail. Axe and screenshots at 1280 and
// 390 px of each state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, launch, signIn, watchFormPosts, mailRecipients, eventually, look,
} from "./harness.mjs";

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

async function person(email, lang, password) {
  const page = await signIn(browser, server, email, lang, {}, password);
  watchFormPosts(page, resubmittable);
  return page;
}

/** Whether the page, reloaded, is still signed in. */
async function signedIn(page) {
  await page.goto(`${server.base}/account/settings`);
  return !new URL(page.url()).pathname.startsWith("/signin");
}

test("a new password signs out the other sessions and the old one stops working", async () => {
  const here = await person("dora@example-ltd.example", "en");
  const elsewhere = await person("dora@example-ltd.example", "en");
  await here.goto(`${server.base}/account/settings`);
  await look(here, "en", "settings");
  // A wrong current password: named at its field, nothing changes.
  await here.fill("#s-current", "not-my-password");
  await here.fill("#s-new", "Kranich-Lavendel-Ostsee-42");
  await here.fill("#s-repeat", "Kranich-Lavendel-Ostsee-42");
  await here.locator("form[action='/account/settings/password'] button[type=submit]").click();
  await here.locator("#s-current-error").waitFor();
  await look(here, "en", "settings-password-wrong");
  assert.ok(await signedIn(elsewhere), "a refused change signs nobody out");

  await here.fill("#s-current", "kontor-demo");
  await here.fill("#s-new", "Kranich-Lavendel-Ostsee-42");
  await here.fill("#s-repeat", "Kranich-Lavendel-Ostsee-42");
  await here.locator("form[action='/account/settings/password'] button[type=submit]").click();
  await here.waitForURL(/saved=password/);
  assert.match(await here.textContent("[role=status]"), /One other session was signed out/);
  assert.ok(await signedIn(here), "this session stays");
  assert.ok(!(await signedIn(elsewhere)), "the other session ended");
  await here.context().close();
  await elsewhere.context().close();

  // The old password is refused, the new one works.
  const v = await browser.newContext({ locale: "en" });
  const page = await v.newPage();
  await page.goto(`${server.base}/signin`);
  await page.fill("#email", "dora@example-ltd.example");
  await page.fill("#password", "kontor-demo");
  await page.locator("form[action='/signin'] button.primary").click();
  await page.locator("#signin-error").waitFor();
  await v.close();
  const again = await person("dora@example-ltd.example", "en", "Kranich-Lavendel-Ostsee-42");
  assert.ok(await signedIn(again));
  // The security mail went out.
  await eventually(() => mailRecipients(server).includes("dora@example-ltd.example"), "the security mail");
  await again.context().close();
});

test("a personal token is shown once, works for the API and stops working when revoked", async () => {
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/account/settings`);
  await anna.fill("#t-label", "Buchhaltung");
  await anna.selectOption("#t-days", "30");
  await anna.locator("form[action='/account/settings/tokens'] button[type=submit]").click();
  await anna.locator("#new-token").waitFor();
  await look(anna, "de", "settings-token-new");
  const secret = (await anna.textContent("#new-token")).trim();
  const me = () => fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  const res = await me();
  assert.equal(res.status, 200);
  assert.equal((await res.json()).email, "anna@muster.example");
  await anna.reload();
  assert.equal(await anna.locator("#new-token").count(), 0, "shown once");

  const row = anna.locator("main table tbody tr", { hasText: "Buchhaltung" });
  await row.locator("a[href$='/revoke']").click();
  await anna.waitForURL(/\/revoke$/);
  await look(anna, "de", "settings-token-revoke");
  assert.equal((await me()).status, 200, "asking revokes nothing");
  await anna.locator("main form button.danger").click();
  await anna.waitForURL(/\/account\/settings/);
  assert.equal((await me()).status, 401);
  await anna.context().close();
});

test("signing out the other sessions ends them and keeps this one", async () => {
  const here = await person("ed@example-ltd.example", "en");
  const phone = await person("ed@example-ltd.example", "en");
  await here.goto(`${server.base}/account/settings`);
  await here.getByRole("button", { name: "Sign out the other session" }).click();
  await here.waitForURL(/saved=sessions/);
  assert.match(await here.textContent("[role=status]"), /One other session was signed out/);
  await look(here, "en", "settings-sessions-ended");
  assert.ok(!(await signedIn(phone)));
  assert.ok(await signedIn(here));
  await here.context().close();
  await phone.context().close();
});

test("a muted event is not mailed to that admin; the other admin still is", async () => {
  const bernd = await person("bernd@muster.example", "de");
  await bernd.goto(`${server.base}/account/settings`);
  await bernd.getByLabel("… beantragt wurde").uncheck();
  await bernd.locator("form[action='/account/settings/notifications'] button[type=submit]").click();
  await bernd.waitForURL(/saved=notifications/);
  assert.equal(await bernd.getByLabel("… beantragt wurde").isChecked(), false);
  assert.equal(await bernd.getByLabel("… durchgeführt wurde").isChecked(), true);
  await look(bernd, "de", "settings-notifications-saved");
  await bernd.context().close();

  const count = (who) => mailRecipients(server).filter((to) => to === who).length;
  const [anna0, bernd0, partner0] = [count("anna@muster.example"), count("bernd@muster.example"), count("hello@bim-solutions.example")];
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000001/partner/review?csn=5100000002`);
  await anna.locator("form[action$='/partner'] button[type=submit]").click();
  await anna.waitForURL(/\/done$/);
  await anna.context().close();
  await eventually(() => count("anna@muster.example") > anna0 && count("hello@bim-solutions.example") > partner0,
    "the submission mails");
  // Every recipient of the event is written in one pass; give a straggler time.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(count("bernd@muster.example"), bernd0, "Bernd muted submissions");
});
