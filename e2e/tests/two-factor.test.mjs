// #21: two-step sign-in in Chromium, with pyotp (PyPI) as the
// independent RFC 6238 implementation computing the codes from the key
// the page shows. The server's clock is pinned (CLOCK), so pyotp computes
// for that instant: the set-up code (current step) is spent, the next
// step's code signs in, older and reused codes are refused, a recovery
// code works once. Axe and the language check on both pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { startServer, launch, signIn, checkA11y, checkLanguage, screenshotsAtBothWidths, CLOCK } from "./harness.mjs";

const PYTHON = process.env.KONTOR_E2E_PYTHON ?? new URL("../.venv/bin/python", import.meta.url).pathname;
const T = Math.floor(Date.parse(CLOCK) / 1000);

/** pyotp's code for `key` at the pinned instant, `offset` steps away. */
function pyotp(key, offset) {
  return execFileSync(PYTHON, ["-c",
    "import pyotp,sys; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2]), counter_offset=int(sys.argv[3])))",
    key, String(T), String(offset)]).toString().trim();
}

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

/** Email and password of a person with an app: the second step opens. */
async function passwordStep(email) {
  const context = await browser.newContext({ locale: "de", viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/signin`);
  await page.getByLabel("E-Mail").fill(email);
  await page.getByLabel("Passwort").fill("kontor-demo");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await page.waitForURL(/\/signin\/code$/);
  return page;
}

async function secondStep(page, code) {
  await page.fill("#code", code);
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
}

test("set up with pyotp's code, sign in with the next step's, older and reused refused, a recovery code once", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "de");
  await anna.goto(`${server.base}/account/security`);
  await anna.click("main form[action='/account/security/app/start'] button");
  const key = (await anna.textContent("#totp-key")).replace(/\s/g, "");
  assert.match(key, /^[A-Z2-7]{32}$/, "a 160-bit key in base32");
  assert.ok(await anna.locator(".qr svg").count(), "the QR code is drawn inline");
  await checkA11y(anna, "two-factor set-up");
  await checkLanguage(anna, "de", "two-factor set-up");
  await screenshotsAtBothWidths(anna, "two-factor-setup");

  await anna.fill("#totp-code", pyotp(key, 0));
  await anna.click("main form[action='/account/security/app/confirm'] button");
  const codes = await anna.locator("#recovery-codes li code").allTextContents();
  assert.equal(codes.length, 10, "ten recovery codes, shown once");
  await checkA11y(anna, "recovery codes");
  await screenshotsAtBothWidths(anna, "two-factor-codes");
  await anna.context().close();

  // Sign in: the password leads to the second step.
  const page = await passwordStep("anna@muster.example");
  await checkA11y(page, "second step");
  await checkLanguage(page, "de", "second step");
  for (const [offset, why] of [[0, "spent by the set-up"], [-1, "older than the last used"], [-2, "too old"]]) {
    await secondStep(page, pyotp(key, offset));
    assert.match(page.url(), /\/signin\/code$/, `step ${offset} refused: ${why}`);
    assert.ok(await page.locator("#code-error").count(), "the refusal is said");
  }
  await secondStep(page, pyotp(key, 1));
  assert.match(page.url(), /\/agreements$/, "the next step's code signs in");
  await page.context().close();

  // The same code again: refused. A recovery code: once.
  const again = await passwordStep("anna@muster.example");
  await secondStep(again, pyotp(key, 1));
  assert.match(again.url(), /\/signin\/code$/, "a used code is refused");
  await secondStep(again, codes[0]);
  assert.match(again.url(), /\/account\/security\?recovery_used=9$/);
  await again.context().close();
  const third = await passwordStep("anna@muster.example");
  await secondStep(third, codes[0]);
  assert.match(third.url(), /\/signin\/code$/, "a recovery code works once");
  await third.context().close();
});
