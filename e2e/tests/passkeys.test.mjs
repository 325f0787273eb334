// #21: passkeys in Chromium with its virtual authenticator (the DevTools
// WebAuthn domain): add one, sign in without a password, use it as the
// second step after the password, a forged signature refused, remove it.
// kontor is reached as http://localhost:PORT: a relying party is a host
// name, never an IP address.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, signIn, checkA11y, checkLanguage } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await startServer({ localhost: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function authenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2", ctap2Version: "ctap2_1", transport: "internal",
      hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

test("a passkey is added, signs in without a password and as the second step, a forged one is refused, and it is removed", async () => {
  const anna = await signIn(browser, server, "anna@muster.example", "de");
  const { cdp, authenticatorId } = await authenticator(anna);

  await anna.goto(`${server.base}/account/security`);
  await anna.fill("#passkey-name", "Laptop");
  await clickAndWait(anna, anna.getByRole("button", { name: "Passkey hinzufügen" }));
  await checkA11y(anna, "add a passkey");
  await checkLanguage(anna, "de", "add a passkey");
  await clickAndWait(anna, anna.getByRole("button", { name: "Passkey erstellen" }));
  assert.match(anna.url(), /\/account\/security\?done=passkey$/);
  assert.match(await anna.textContent("#passkey-list"), /Laptop/);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].rpId, "localhost");

  // Without a password.
  await clickAndWait(anna, anna.getByRole("button", { name: "Abmelden" }));
  await anna.goto(`${server.base}/signin`);
  await checkA11y(anna, "sign-in with passkey button");
  await clickAndWait(anna, anna.getByRole("button", { name: "Mit Passkey anmelden" }));
  assert.match(anna.url(), /\/agreements$/, "signed in by the passkey alone");

  // As the second step after the password (she has a second factor now).
  await clickAndWait(anna, anna.getByRole("button", { name: "Abmelden" }));
  await anna.goto(`${server.base}/signin`);
  await anna.getByLabel("E-Mail").fill("anna@muster.example");
  await anna.getByLabel("Passwort").fill("kontor-demo");
  await clickAndWait(anna, anna.getByRole("button", { name: "Anmelden", exact: true }));
  assert.match(anna.url(), /\/signin\/code$/);
  await checkA11y(anna, "second step with passkey");
  await clickAndWait(anna, anna.getByRole("button", { name: "Passkey verwenden" }));
  assert.match(anna.url(), /\/agreements$/);

  // A forged signature is refused.
  await clickAndWait(anna, anna.getByRole("button", { name: "Abmelden" }));
  await cdp.send("WebAuthn.setResponseOverrideBits", { authenticatorId, isBogusSignature: true });
  await anna.goto(`${server.base}/signin`);
  await clickAndWait(anna, anna.getByRole("button", { name: "Mit Passkey anmelden" }));
  assert.match(anna.url(), /\/signin\?passkey=refused$/);
  assert.ok(await anna.getByText("Der Passkey wurde nicht akzeptiert").count());
  await cdp.send("WebAuthn.setResponseOverrideBits", { authenticatorId, isBogusSignature: false });

  // Remove it.
  await clickAndWait(anna, anna.getByRole("button", { name: "Mit Passkey anmelden" }));
  await anna.goto(`${server.base}/account/security`);
  await clickAndWait(anna, anna.getByRole("button", { name: "Passkey Laptop entfernen" }));
  assert.match(anna.url(), /done=passkey-removed$/);
  assert.equal(await anna.locator("#passkey-list").count(), 0);
});
