// #22 transfer codes in the browser: the operator chooses the transfer-code
// model for the standard program (English), the admin follows the
// agreement's reason to the codes page and creates a code that is shown
// once (German), the partner redeems it — first mistyped — and reads what
// started (German). axe and screenshots at 1280 and 390 px of each state;
// every form post redirects.
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

test("the operator chooses transfer codes, the admin creates one, the partner redeems it", async () => {
  const olga = await signIn(browser, server, "olga@vendor.example", "en");
  watchFormPosts(olga, resubmittable);
  await olga.goto(`${server.base}/back-office/consent`);
  await olga.getByRole("heading", { name: "Consent per program" }).waitFor();
  await olga.fill("#consent-program", "standard");
  await olga.check("#consent-m-transfer_code");
  await olga.fill("#consent-hours", "48");
  await olga.getByRole("button", { name: "Save" }).click();
  await olga.getByText("transfer code, valid for 48 hours").waitFor();
  await look(olga, "en", "consent");

  const anna = await signIn(browser, server, "anna@muster.example", "de");
  watchFormPosts(anna, resubmittable);
  await anna.goto(`${server.base}/agreements/110000000001`);
  await anna.getByRole("link", { name: "Übertragungscode erstellen" }).click();
  await anna.getByRole("heading", { name: "Übertragungscodes", level: 1 }).waitFor();
  assert.equal(await anna.isChecked("#code-a-110000000001"), true, "the agreement comes chosen");
  await look(anna, "de", "codes-create");
  await anna.getByRole("button", { name: "Code erstellen" }).click();
  const code = (await anna.textContent("#new-code-value")).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  await look(anna, "de", "codes-new");
  await anna.reload();
  assert.equal(await anna.locator("#new-code-value").count(), 0, "shown once");

  const ben = await signIn(browser, server, "ben@bim-solutions.example", "de");
  watchFormPosts(ben, resubmittable);
  await ben.goto(`${server.base}/changes`);
  await ben.getByRole("link", { name: "Übertragungscode einlösen" }).click();
  await ben.fill("#redeem-code", "AAAA-BBBB-CCCC-DDDD-EEEE");
  await ben.getByRole("button", { name: "Einlösen" }).click();
  await ben.locator("#redeem-problem").waitFor();
  assert.match(await ben.textContent("#redeem-problem"), /nicht gültig/);
  await look(ben, "de", "redeem-invalid");
  await ben.fill("#redeem-code", code.toLowerCase().replaceAll("-", " "));
  await ben.getByRole("button", { name: "Einlösen" }).click();
  await ben.waitForURL(/\/changes\/redeem\/[0-9a-f-]{36}$/);
  const result = await ben.textContent("main");
  assert.match(result, /eingelöst/);
  assert.match(result, /110000000001/);
  assert.match(result, /In Bearbeitung/);
  await look(ben, "de", "redeem-done");

  await anna.goto(`${server.base}/account/transfer-codes`);
  assert.match(await anna.textContent("main"), /von Partner 5100000002/);
  await look(anna, "de", "codes-list");

  // Each page in the other language too.
  await anna.goto(`${server.base}/lang/en?back=/account/transfer-codes`);
  await anna.getByRole("heading", { name: "Transfer codes", level: 1 }).waitFor();
  await look(anna, "en", "codes-list");
  const resultPath = new URL(ben.url()).pathname;
  await ben.goto(`${server.base}/lang/en?back=${resultPath}`);
  await ben.getByText(/Code …\w{4} redeemed/).waitFor();
  await look(ben, "en", "redeem-done");
  await ben.goto(`${server.base}/changes/redeem`);
  await ben.getByRole("heading", { name: "Redeem a transfer code" }).waitFor();
  await look(ben, "en", "redeem");
  await olga.goto(`${server.base}/lang/de?back=/back-office/consent`);
  await olga.getByRole("heading", { name: "Zustimmung je Programm" }).waitFor();
  await look(olga, "de", "consent");
});
