// #22 the vendor proposes a new partner, in the browser: the operator
// deactivates CAD Partner and names BIM Solutions its successor (English; a
// successor that is itself inactive is refused first), reads who has acted
// and reminds them; the customer's admin follows the mail's link into the
// change with BIM Solutions found (German). axe and screenshots at 1280
// and 390 px of each state; every form post redirects.
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

test("the operator proposes a successor, the customer opens the change with it", async () => {
  const olga = await signIn(browser, server, "olga@vendor.example", "en");
  watchFormPosts(olga, resubmittable);
  await olga.goto(`${server.base}/back-office/partners/5100000001`);
  await olga.selectOption("#p-status", "inactive");
  await olga.fill("#p-successor", "5100000003");
  await olga.getByRole("button", { name: "Save" }).click();
  await olga.locator("#p-successor-error").waitFor();
  await look(olga, "en", "successor-refused");
  await olga.fill("#p-successor", "5100000002");
  await olga.getByRole("button", { name: "Save" }).click();
  await olga.waitForURL(/\/back-office\/proposals\/[0-9a-f-]{36}$/);
  const proposal = new URL(olga.url()).pathname.split("/").pop();
  const detail = await olga.textContent("main");
  assert.match(detail, /CAD Partner GmbH \(5100000001\) → BIM Solutions AG \(5100000002\)/);
  assert.match(detail, /Muster Bau AG/);
  assert.match(detail, /Not acted yet/);
  await look(olga, "en", "proposal");
  await olga.getByRole("button", { name: "Remind those who have not acted" }).click();
  await olga.waitForURL(/reminded=/);
  assert.match(await olga.textContent("main"), /accounts? (was|were) reminded/);
  await look(olga, "en", "proposal-reminded");
  await olga.goto(`${server.base}/back-office/proposals`);
  await look(olga, "en", "proposals");

  const anna = await signIn(browser, server, "anna@muster.example", "de");
  await anna.goto(`${server.base}/agreements/110000000001/partner/review?csn=5100000002`);
  assert.match(await anna.textContent("main"), /BIM Solutions AG/);
  await look(anna, "de", "proposal-review");

  // Several agreements: the mail's link opens a change of all of them
  // with the proposed partner found.
  await anna.goto(`${server.base}/agreements/proposed/${proposal}`);
  await anna.waitForURL(/\/agreements\/bulk\/[0-9a-f-]{36}\?csn=5100000002$/);
  assert.match(await anna.textContent("main"), /BIM Solutions AG/);
  await look(anna, "de", "proposal-bulk");

  // The back office in German too.
  await olga.goto(`${server.base}/lang/de?back=/back-office/proposals`);
  await olga.getByRole("heading", { name: "Vorgeschlagene Partner" }).waitFor();
  await look(olga, "de", "proposals");
  await olga.goto(`${server.base}/back-office/proposals/${proposal}`);
  assert.match(await olga.textContent("main"), /1 Konto: 0 gewechselt/);
  await look(olga, "de", "proposal");
  await olga.goto(`${server.base}/back-office/partners/5100000004`);
  await look(olga, "de", "partner-successor");
});
