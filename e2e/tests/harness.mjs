// Shared helpers: a fresh kontor server with demo data per suite, a headless
// Chromium page, axe-core checks and screenshots.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

/** Starts `kontor serve --demo` on a free port with a fresh data directory. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "kontor-e2e-"));
  const env = { ...process.env, KONTOR_CLOCK: CLOCK, KONTOR_CACHE_POLL_MS: "50", RUST_LOG: "warn" };
  delete env.KONTOR_DATABASE_URL;
  const child = spawn(BIN, ["--data-dir", dir, "serve", "--demo", "--listen", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/kontor listening on (http:\/\/[^\s]+)/);
      if (m) resolve(m[1]);
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

/** A signed-in page in `locale`. */
export async function signIn(browser, server, email, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/signin`);
  await page.getByLabel(locale.startsWith("de") ? "E-Mail" : "Email").fill(email);
  await page.getByLabel(locale.startsWith("de") ? "Passwort" : "Password").fill("kontor-demo");
  await page.getByRole("button", { name: locale.startsWith("de") ? "Anmelden" : "Sign in" }).click();
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
