// #20: the assistant on a blocked agreement's page, asked in German: the
// answer explains the reason with its article, the conversation stays in
// the panel from page to page, and the hand-off opens a support case that
// support finds in its queue. Axe and screenshots at 1280 and 390 px.
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

async function person(email, lang) {
  const page = await signIn(browser, server, email, lang);
  watchFormPosts(page, resubmittable);
  return page;
}

async function askInPanel(page, question) {
  const before = await page.locator("#assistant-log .assistant-answer").count();
  await page.fill("#assistant-q", question);
  await page.press("#assistant-q", "Enter");
  await page.locator("#assistant-log .assistant-answer").nth(before).waitFor();
  // Still the same page: the panel answered inline.
  return page.locator("#assistant-log .assistant-answer").nth(before);
}

test("asked in German on a blocked agreement's page, the assistant explains, keeps the conversation and hands off", async () => {
  const anna = await person("anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000002`);
  const url = anna.url();
  const answer = await askInPanel(anna, "Warum kann ich den Partner nicht ändern?");
  assert.equal(anna.url(), url, "answered inline, no navigation");
  const text = await answer.textContent();
  assert.match(text, /Die automatische Verlängerung ist aktiviert\./);
  assert.match(text, /Für 110000000002 ist ein Partnerwechsel zurzeit nicht möglich/);
  assert.ok(await answer.locator("a[href='/help/auto-renew']").count() > 0, "the reason's article is linked");
  // Focus moves to the answer, announced by the live region.
  assert.equal(await anna.evaluate(() => document.activeElement?.hasAttribute("data-answer-heading")), true);
  assert.equal(await anna.getAttribute("#assistant-log", "aria-live"), "polite");
  await look(anna, "de", "assistant-panel");

  // The conversation stays while moving on; a follow-up joins it.
  await anna.goto(`${server.base}/agreements`);
  assert.equal(await anna.locator("#assistant-log .assistant-answer").count(), 1, "kept across pages");
  const reply = await askInPanel(anna, "Ich möchte mit einem Mitarbeiter sprechen");
  assert.match(await reply.textContent(), /Supportfall eröffnen/);
  await reply.locator("textarea[name=message]").fill("Bitte rufen Sie mich an.");
  await reply.locator("button[type=submit]").click();
  await anna.waitForURL(/\/support-cases\/[0-9a-f-]+\?opened=1$/);
  const main = await anna.textContent("main");
  assert.match(main, /Ihr Supportfall ist eröffnet/);
  assert.match(main, /Warum kann ich den Partner nicht ändern\?/, "the earlier question is carried");
  assert.match(main, /Bitte rufen Sie mich an\./);
  assert.match(main, /Erste Antwort bis/);
  await look(anna, "de", "assistant-case");

  // Support sees it first in its queue and can answer in it.
  const sam = await person("sam@vendor.example", "en");
  await sam.goto(`${server.base}/support-cases`);
  assert.match(await sam.textContent("main"), /Question for support/);
  await sam.locator("main td a").first().click();
  await sam.waitForURL(/\/support-cases\/[0-9a-f-]+$/);
  assert.match(await sam.textContent("main"), /Bitte rufen Sie mich an\./);
  assert.ok(await sam.locator("#reply-body").count() === 1, "support can answer");
});

test("without JavaScript the question opens the answer as a page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "de" });
  const page = await context.newPage();
  await page.goto(`${server.base}/signin`);
  await page.fill("input[name=email]", "anna@muster.example");
  await page.fill("input[name=password]", "kontor-demo");
  await page.locator("form[action='/signin'] button.primary").click();
  await page.waitForURL(/\/agreements/);
  await page.goto(`${server.base}/agreements/110000000003`);
  await page.fill("#assistant-q", "Warum geht kein Partnerwechsel?");
  await page.press("#assistant-q", "Enter");
  await page.waitForURL(/\/assistant\?/);
  assert.match(await page.textContent("main"), /Enterprise Business Agreement mit Token Flex/);
  await context.close();
});
