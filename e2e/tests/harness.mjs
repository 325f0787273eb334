// Shared helpers: a fresh kontor server with demo data per suite, a headless
// Chromium page, axe-core checks and screenshots.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const CLOCK = "2026-11-25T09:00:00Z";
const BIN = process.env.KONTOR_BIN;
const SHOTS = new URL("../../target/e2e/", import.meta.url).pathname;

/** A port nobody listens on now. */
export async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts kontor with demo data on a fresh database. With `{ localhost:
 * true }` it is reached as http://localhost:PORT (its public URL too):
 * passkeys need a host name, never an IP address. `env` adds settings
 * (`KONTOR_…`) and may move the clock (`KONTOR_CLOCK`).
 */
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kontor-e2e-"));
  // No reminder mails (#22) unless a test asks: the suites count mails.
  const env = { ...process.env, KONTOR_CLOCK: CLOCK, KONTOR_CACHE_POLL_MS: "50", KONTOR_REMINDER_DAYS: "", RUST_LOG: "warn" };
  delete env.KONTOR_DATABASE_URL;
  Object.assign(env, options.env ?? {});
  let listen = "127.0.0.1:0";
  if (options.localhost) {
    const port = await freePort();
    listen = `127.0.0.1:${port}`;
    env.KONTOR_PUBLIC_URL = `http://localhost:${port}`;
  }
  const child = spawn(BIN, ["--data-dir", dir, "serve", "--demo", "--listen", listen], { env, stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/kontor listening on (http:\/\/[^\s]+)/);
      if (m) resolve(options.localhost ? env.KONTOR_PUBLIC_URL : m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    base,
    dir,
    /** Runs the worker once with the clock past the processing delay. */
    applyDue(at = "2026-11-25T11:00:00Z") {
      return execFileSync(BIN, ["--data-dir", dir, "worker", "--once"], { env: { ...env, KONTOR_CLOCK: at } }).toString();
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A signed-in page in `locale` (the demo password unless one is given). */
export async function signIn(browser, server, email, locale, options = {}, password = "kontor-demo") {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${server.base}/signin`);
  await page.getByLabel(locale.startsWith("de") ? "E-Mail" : "Email").fill(email);
  await page.getByLabel(locale.startsWith("de") ? "Passwort" : "Password").fill(password);
  await page.getByRole("button", { name: locale.startsWith("de") ? "Anmelden" : "Sign in", exact: true }).click();
  await page.waitForURL(/\/agreements/);
  // The person's own setting would win over the browser's language; the
  // switcher (on every page) picks the language this test wants.
  await page.getByRole("link", { name: locale.startsWith("de") ? "Deutsch" : "English" }).click();
  await page.waitForURL(/\/agreements/);
  return page;
}

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function checkA11y(page, label) {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline
  // scripts) stays in force for everything else.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
    `accessibility violations on ${label}`,
  );
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/**
 * The portal's messages, per language, from the Fluent files: each
 * message's text with its placeables cut out, as the fragments a page
 * shows word for word. Selector variants count as fragments too.
 */
export function bundleFragments(lang) {
  const text = readFileSync(new URL(`../../crates/kontor/locales/${lang}/main.ftl`, import.meta.url), "utf8");
  const messages = new Map();
  let key = null;
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-zA-Z][\w-]*) = ?(.*)$/);
    if (m) {
      key = m[1];
      messages.set(key, m[2]);
    } else if (key && /^\s/.test(line) && line.trim()) {
      messages.set(key, `${messages.get(key)}\n${line.trim()}`);
    } else {
      key = null;
    }
  }
  const fragments = new Map();
  for (const [k, v] of messages) {
    const parts = v
      .replace(/\*?\[[^\]]+\]\s*/g, "\n") // selector variant keys
      .replace(/\{[^{}]*\}/g, "\n")       // placeables (innermost first)
      .replace(/[{}]/g, "\n")
      .split("\n")
      .map((s) => s.trim().replace(/^[-–,.:;()]+\s*/, "").replace(/\s*[-–,:;(]+$/, ""))
      .filter((s) => s.length >= 12 && s.includes(" "));
    fragments.set(k, parts);
  }
  return fragments;
}

const STRAY_WORDS = {
  de: /\b(the|expected|must|cannot|already|not found|invalid|should|please)\b/i,
  en: /\b(der|die|das|und|nicht|bitte|wurde|ist|Sie|erwartet)\b/,
};

/** Sentences of `other` language that must not show on a page in `lang`. */
export function foreignSentences(lang) {
  const other = lang === "de" ? "en" : "de";
  const own = new Set([...bundleFragments(lang).values()].flat());
  return [...new Set([...bundleFragments(other).values()].flat())].filter((s) => !own.has(s));
}

/**
 * Fails when the visible text of the page (outside code and pre, which
 * show addresses and data as they are, and what people wrote themselves) holds a sentence of the other
 * language's bundle or a raw code such as `primary_admin` or
 * `partner_change.submitted`.
 */
export async function checkLanguage(page, lang, label) {
  const text = await page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    // What people wrote themselves (a support reply) is in their words.
    for (const el of clone.querySelectorAll("code, pre, script, style, .lang, [data-user-text]")) el.remove();
    return clone.innerText;
  });
  const foreign = foreignSentences(lang).filter((s) => text.includes(s));
  // Sentences written outside the bundles (in Rust source) show by their
  // small words.
  const stray = text.match(STRAY_WORDS[lang]);
  if (stray) foreign.push(`…${text.slice(Math.max(0, stray.index - 40), stray.index + 40)}…`);
  assert.deepEqual(foreign, [], `${label}: sentences of the other language on a page in ${lang}`);
  const codes = [...text.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.[a-z_]+)?\b/g)].map((m) => m[0]);
  assert.deepEqual(codes, [], `${label}: raw codes on a page in ${lang}`);
}

/** Full-page screenshots at desktop (1280) and phone (390) width; fails on sideways scrolling at 390. */
export async function screenshotsAtBothWidths(page, name) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${SHOTS}${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: `${SHOTS}${name}-390.png`, fullPage: true });
  await page.setViewportSize(before);
  assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px at 390px`);
}

/**
 * Records every form post that a page answered with a page of its own
 * (200) instead of a redirect: a reload would send it again.
 */
export function watchFormPosts(page, violations) {
  page.on("response", (r) => {
    const req = r.request();
    if (req.method() === "POST" && req.isNavigationRequest() && r.status() === 200) {
      violations.push(`${r.url()} answered a form post with 200`);
    }
  });
}

/** The `To:` of every mail the server has written to its data folder. */
export function mailRecipients(server) {
  const dir = join(server.dir, "mail");
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
  return files.map((f) => {
    const m = readFileSync(join(dir, f), "utf8").match(/^To: (?:.*<)?([^<>\s]+@[^<>\s]+?)>?\r?$/m);
    return m ? m[1] : "";
  });
}

/** Waits until `done()` holds, polling; fails after `ms`. */
export async function eventually(done, what, ms = 15000) {
  const until = Date.now() + ms;
  while (!(await done())) {
    assert.ok(Date.now() < until, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Checks the page as it stands: words, accessibility, both widths. */
export async function look(page, lang, name) {
  await checkLanguage(page, lang, name);
  await checkA11y(page, `${lang} ${name}`);
  await screenshotsAtBothWidths(page, `${lang}-${name}`);
}

/** Calls the JSON API of `server` as `token` (or anonymously): status and body. */
export async function api(server, method, path, token, body) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
