// #19: a support case as a conversation — the customer opens it, support
// and the customer reply three times, each reply mailed to the other side;
// the customer sees whose turn it is, support a queue. Axe and screenshots
// at 1280 and 390 px of both sides.
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

async function person(email, lang) {
  const page = await signIn(browser, server, email, lang);
  watchFormPosts(page, resubmittable);
  return page;
}

const mailsTo = (who) => mailRecipients(server).filter((to) => to === who).length;

async function send(page, text) {
  await page.fill("#reply-body", text);
  await page.locator("form[action$='/reply'] button[type=submit]").click();
  await page.waitForURL(/\/support-cases\/[0-9a-f-]+#reply-h$/);
}

test("three replies go back and forth, each side is mailed and sees whose turn it is", async () => {
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000011/support-case`);
  await anna.locator("input[name=replace_partner]").first().check();
  await anna.fill("#case-new", "5100000004");
  await anna.locator("main form button[type=submit]").last().click();
  await anna.waitForURL(/\/support-cases\/[0-9a-f-]+$/);
  const caseUrl = anna.url();
  assert.match(await anna.textContent("main"), /Offen – der Support antwortet/);

  // Support finds it in the queue and asks.
  const sam = await person("sam@vendor.example", "en");
  await sam.goto(`${server.base}/support-cases`);
  await look(sam, "en", "support-queue");
  await sam.locator(`main a[href='${new URL(caseUrl).pathname}']`).click();
  await send(sam, "Which site is affected?");
  await eventually(() => mailsTo("anna@muster.example") === 1, "the mail to the customer");

  // The customer reads whose turn it is and answers.
  await anna.reload();
  assert.match(await anna.textContent("main"), /Wartet auf Ihre Antwort/);
  assert.match(await anna.textContent("main"), /Which site is affected\?/);
  await send(anna, "Nur München, bitte.");
  await eventually(() => mailsTo("sam@vendor.example") === 2, "the mails to support: the new case, then the reply");
  await look(anna, "de", "support-case-conversation");

  // Support confirms; the customer is told again.
  await sam.reload();
  assert.match(await sam.textContent("main"), /Nur München, bitte\./);
  await send(sam, "Done: we replace CAD Partner in Munich.");
  await eventually(() => mailsTo("anna@muster.example") === 2, "the second mail to the customer");
  await look(sam, "en", "support-case-conversation");
  assert.equal(mailsTo("sam@vendor.example"), 2, "support is not told of its own replies");
  await anna.reload();
  assert.equal(await anna.locator("ol.conversation li").count(), 3, "three replies");
  await anna.context().close();
  await sam.context().close();
});
