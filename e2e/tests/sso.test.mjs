// #21: single sign-on in Chromium against a real OpenID provider — the npm
// package oidc-provider (the certified Node.js implementation), started by
// this test with PKCE required and its development login pages. Checked:
// home-realm discovery from the sign-in page, the first sign-in creating
// the person, "SSO required" sending a password sign-in to the provider,
// the primary admin's break glass, and refusals: an ID token with a wrong
// nonce, audience or issuer (the provider's own token, its claims changed
// and signed again with the provider's key by a middleware in front of its
// token endpoint), an expired one, a replayed answer. More forgeries (a
// foreign key, an unbound domain, an unverified email, a wrong PKCE
// verifier) are refused in `crates/kontor/tests/it/sso.rs`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import Provider from "oidc-provider";
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from "jose";
import { startServer, freePort, launch, signIn, checkA11y, checkLanguage, screenshotsAtBothWidths } from "./harness.mjs";

const CLIENT_ID = "kontor-e2e";
const SECRET = "kontor-e2e-secret";

/**
 * oidc-provider with one client: kontor at `kontorBases`' callbacks. Its
 * `tamper` (settable) changes the claims of the next ID tokens, which are
 * then signed again with the provider's own key.
 */
async function startProvider(kontorBases) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "e2e", alg: "RS256", use: "sig" };
  const op = { issuer, tamper: null };
  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: [{
      client_id: CLIENT_ID,
      client_secret: SECRET,
      redirect_uris: kontorBases.map((b) => `${b}/sso/callback`),
      response_types: ["code"],
      grant_types: ["authorization_code"],
    }],
    pkce: { required: () => true },
    // The login name is the local part of the person's address.
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, email: `${sub}@muster.example`, email_verified: true, name: `${sub[0].toUpperCase()}${sub.slice(1)} Muster`, locale: "de-DE" };
        },
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "locale"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["e2e-only-cookie-key"] },
  });
  provider.use(async (ctx, next) => {
    await next();
    if (op.tamper && ctx.path === "/token" && ctx.body?.id_token) {
      const claims = decodeJwt(ctx.body.id_token);
      op.tamper(claims);
      ctx.body = {
        ...ctx.body,
        id_token: await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "e2e" }).sign(privateKey),
      };
    }
  });
  const server = provider.listen(port, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  op.close = () => new Promise((r) => server.close(r));
  return op;
}

async function api(server, method, path, token, body) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function token(server, email) {
  const res = await api(server, "POST", "/api/v1/tokens", null, { email, password: "kontor-demo" });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token;
}

/** Binds muster.example to Muster Bau and sets the provider up there. */
async function setUp(server, issuer, required) {
  const olga = await token(server, "olga@vendor.example");
  const anna = await token(server, "anna@muster.example");
  const bound = await api(server, "POST", "/api/v1/sso-domains", olga, { domain: "muster.example", account: "7000000001" });
  assert.equal(bound.status, 201, JSON.stringify(bound.body));
  const saved = await api(server, "PUT", "/api/v1/account/sso", anna, {
    issuer, client_id: CLIENT_ID, client_secret: SECRET, enabled: true, required, newcomer_role: "user",
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  return anna;
}

/** The provider's development login and consent pages. */
async function atProvider(page, login) {
  await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", "any");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/interaction\/|\/sso\/callback|\/agreements/);
  if (/\/interaction\//.test(page.url())) {
    // Consent.
    await page.click("button[type=submit]");
  }
}

let kontor;
let late;
let op;
let browser;
before(async () => {
  kontor = await startServer({ localhost: true, env: { KONTOR_SSO_ALLOW_PRIVATE: "true" } });
  // The same provider's real tokens, read by a kontor whose clock is a day
  // past their expiry.
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  late = await startServer({ localhost: true, env: { KONTOR_SSO_ALLOW_PRIVATE: "true", KONTOR_CLOCK: tomorrow } });
  op = await startProvider([kontor.base, late.base]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await op?.close();
  await kontor?.stop();
  await late?.stop();
});

test("the email's domain goes to its provider, the first sign-in creates the person, SSO required, break glass", async () => {
  const anna = await setUp(kontor, op.issuer, false);

  // The settings page shows the provider and the bound domain.
  const admin = await signIn(browser, kontor, "anna@muster.example", "de");
  await admin.goto(`${kontor.base}/account/sso`);
  assert.equal(await admin.inputValue("#sso-issuer"), op.issuer);
  assert.ok(await admin.getByText("@muster.example").count());
  await checkA11y(admin, "single sign-on settings");
  await checkLanguage(admin, "de", "single sign-on settings");
  await screenshotsAtBothWidths(admin, "sso-settings");

  // Email first, single sign-on chosen: the link to the provider.
  const context = await browser.newContext({ locale: "de", viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${kontor.base}/signin`);
  await page.getByLabel("E-Mail").fill("neu@muster.example");
  await page.getByRole("button", { name: "Mit Single Sign-on (SSO) anmelden" }).click();
  await page.getByRole("heading", { name: "Weiter zur Anmeldung Ihrer Organisation" }).waitFor();
  await checkA11y(page, "single sign-on step");
  await checkLanguage(page, "de", "single sign-on step");
  await screenshotsAtBothWidths(page, "sso-continue");
  await page.getByRole("link", { name: "Weiter zum Single Sign-on" }).click();
  await atProvider(page, "neu");
  await page.waitForURL(/\/agreements/);
  assert.ok(await page.getByText("Neu Muster").count(), "signed in as the new person");

  // Created as a user of Muster Bau (the default role), audited.
  const people = await api(kontor, "GET", "/api/v1/audit?limit=50", anna);
  const actions = people.body.items.map((e) => e.action);
  assert.ok(actions.includes("user_created") && actions.includes("sso_linked"), actions.join(","));

  // SSO required: Bernd's password sends him to the provider instead.
  const required = await api(kontor, "PUT", "/api/v1/account/sso", anna, {
    issuer: op.issuer, client_id: CLIENT_ID, enabled: true, required: true, newcomer_role: "user",
  });
  assert.equal(required.status, 200, JSON.stringify(required.body));
  const bc = await browser.newContext({ locale: "de", viewport: { width: 390, height: 844 } });
  const bernd = await bc.newPage();
  await bernd.goto(`${kontor.base}/signin`);
  await bernd.getByLabel("E-Mail").fill("bernd@muster.example");
  await bernd.getByLabel("Passwort").fill("kontor-demo");
  await bernd.getByRole("button", { name: "Anmelden", exact: true }).click();
  await bernd.getByRole("heading", { name: "Weiter zur Anmeldung Ihrer Organisation" }).waitFor();
  assert.equal(await bernd.getByRole("link", { name: "Mit Passwort anmelden" }).count(), 0, "no password way for Bernd");
  await bernd.getByRole("link", { name: "Weiter zum Single Sign-on" }).click();
  await atProvider(bernd, "bernd");
  await bernd.waitForURL(/\/agreements/);
  assert.ok(await bernd.getByText("Bernd Zweitadmin").count(), "Bernd, linked to his existing person");

  // The primary admin keeps the password: break glass.
  const again = await signIn(browser, kontor, "anna@muster.example", "en");
  assert.match(again.url(), /\/agreements/);
});

test("an ID token with a wrong nonce, audience or issuer is refused; the untouched one signs in", async () => {
  // After the first test, Muster Bau's single sign-on is set up here.
  const cases = [
    ["nonce", (c) => { c.nonce = "not-this-trip"; }],
    ["audience", (c) => { c.aud = "someone-else"; }],
    ["issuer", (c) => { c.iss = "https://evil.example"; }],
  ];
  for (const [what, tamper] of cases) {
    op.tamper = tamper;
    const context = await browser.newContext({ locale: "en", viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${kontor.base}/sso/start?email=carla@muster.example&next=/agreements`);
    await atProvider(page, "carla");
    await page.getByRole("heading", { name: "Single sign-on did not work" }).waitFor();
    assert.ok(await page.getByText("could not be confirmed").count(), what);
    await page.goto(`${kontor.base}/agreements`);
    assert.match(page.url(), /\/signin/, `${what}: not signed in`);
    await context.close();
  }
  // The same provider, its token left alone: signed in.
  op.tamper = null;
  const context = await browser.newContext({ locale: "en", viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${kontor.base}/sso/start?email=carla@muster.example&next=/agreements`);
  await atProvider(page, "carla");
  await page.waitForURL(/\/agreements/);
  await context.close();
});

test("an expired ID token and a replayed answer are refused", async () => {
  await setUp(late, op.issuer, false);
  const context = await browser.newContext({ locale: "en", viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${late.base}/sso/start?email=carla@muster.example&next=/agreements`);
  await atProvider(page, "carla");
  await page.getByRole("heading", { name: "Single sign-on did not work" }).waitFor();
  assert.ok(await page.getByText("could not be confirmed").count(), "expired by kontor's clock");
  await checkA11y(page, "single sign-on refused");
  await checkLanguage(page, "en", "single sign-on refused");

  // A good trip on the first server; its answer replayed afterwards.
  const c2 = await browser.newContext({ locale: "en", viewport: { width: 1200, height: 900 } });
  const p2 = await c2.newPage();
  let callback = null;
  p2.on("request", (r) => { if (r.url().includes("/sso/callback")) callback = r.url(); });
  await p2.goto(`${kontor.base}/sso/start?email=carla@muster.example&next=/agreements`);
  await atProvider(p2, "carla");
  await p2.waitForURL(/\/agreements/);
  assert.ok(callback, "came back through the callback");
  await p2.goto(callback);
  await p2.getByRole("heading", { name: "Single sign-on did not work" }).waitFor();
  assert.ok(await p2.getByText("expired or was already used").count());
});
