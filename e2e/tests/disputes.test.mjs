// #22 disputes in the browser: the partner being replaced disputes a
// pending change on its page (German), the customer reads that it is held
// (German), support sees it in its queue and upholds it with a note
// (English), and the customer reads the note. axe and screenshots at 1280
// and 390 px of each state; every form post redirects.
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

test("a partner disputes a change, the customer sees it held, support upholds it with a note", async () => {
  const t = await api(server, "POST", "/api/v1/tokens", null, { email: "anna@muster.example", password: "kontor-demo" });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const submitted = await api(server, "POST", "/api/v1/partner-changes", t.body.token, { agreement: "110000000001", new_partner: "5100000002" });
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const id = submitted.body.id;

  const paul = await signIn(browser, server, "paul@cad-partner.example", "de");
  watchFormPosts(paul, resubmittable);
  await paul.goto(`${server.base}/changes/${id}`);
  await paul.getByRole("heading", { name: "Einspruch erheben" }).waitFor();
  await look(paul, "de", "dispute-form");
  await paul.fill("#dispute-reason", "Mit dem Kunden laufen noch zwei Projekte bis März.");
  await paul.getByRole("button", { name: "Einspruch erheben" }).click();
  await paul.waitForURL(/done=disputed/);
  assert.match(await paul.textContent("main"), /Ihr Einspruch ist eingegangen/);
  await look(paul, "de", "dispute-filed");

  const anna = await signIn(browser, server, "anna@muster.example", "de");
  await anna.goto(`${server.base}/changes/${id}`);
  const held = await anna.textContent("main");
  assert.match(held, /Der Wechsel ist angehalten/);
  assert.doesNotMatch(held, /zwei Projekte/, "the customer does not read the partner's reason");
  await look(anna, "de", "dispute-held");

  const sam = await signIn(browser, server, "sam@vendor.example", "en");
  watchFormPosts(sam, resubmittable);
  await sam.goto(`${server.base}/support-cases`);
  await sam.getByRole("heading", { name: "Disputed partner changes" }).waitFor();
  await look(sam, "en", "dispute-queue");
  await sam.goto(`${server.base}/changes/${id}`);
  await look(sam, "en", "dispute-decide");
  await sam.getByRole("button", { name: "Uphold the dispute" }).click();
  // Without a note the page keeps the form and names the problem.
  await sam.locator("#dispute-error").waitFor();
  await look(sam, "en", "dispute-note-missing");
  await sam.fill("#dispute-note", "The projects run until March; please change after that.");
  await sam.getByRole("button", { name: "Uphold the dispute" }).click();
  await sam.waitForURL(/done=upheld/);
  await look(sam, "en", "dispute-upheld");

  await anna.goto(`${server.base}/changes/${id}`);
  const decided = await anna.textContent("main");
  assert.match(decided, /Der Support hat dem Einspruch stattgegeben/);
  assert.match(decided, /please change after that/);
  await look(anna, "de", "dispute-upheld-customer");
});
