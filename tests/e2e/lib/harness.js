// Shared helpers for the browser suite: a real `pouls demo` server on a free loopback
// port, Debian's Chromium through playwright-core, logins, axe-core checks and
// screenshots. Every test file starts its own server (its own temporary database), so
// files never see each other's answers.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const suiteDir = path.resolve(here, '..');

/** The `pouls` binary: `POULS_BIN`, or the debug build of the workspace. */
export const binary = process.env.POULS_BIN
  ? path.resolve(process.env.POULS_BIN)
  : path.resolve(suiteDir, '../../target/debug/pouls');

/** Debian's Chromium; playwright-core never downloads a browser. */
export const chromiumPath = process.env.POULS_CHROMIUM || '/usr/bin/chromium';

export const screenshotDir = path.join(suiteDir, 'screenshots');

/** The demo's staff accounts; they all share the password printed at start. */
export const accounts = {
  admin: 'coordination@ccyn.demo',
  agent: 'action.sociale@ccyn.demo',
  partenaire: 'france-services.sergines@ccyn.demo',
  lecteur: 'conseillere.territoriale@caf89.demo',
};

export const phone = { width: 360, height: 800 };
export const desktop = { width: 1280, height: 900 };

/** A free TCP port on the loopback interface. */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts `pouls demo` on a free port and waits for `/healthz`. Returns the base URL, the
 * admin login it printed, and `stop()`. The demo database goes to a temporary directory
 * of our own (TMPDIR for the child), removed at stop.
 */
export async function startServer({ timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const scratch = mkdtempSync(path.join(tmpdir(), 'pouls-e2e-'));
  const env = { ...process.env, TMPDIR: scratch, RUST_LOG: process.env.RUST_LOG || 'warn' };
  delete env.DATABASE_URL;
  delete env.POULS_BIND;
  delete env.POULS_PUBLIC_URL;
  const child = spawn(binary, ['demo', '--bind', `127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (error) => (exited = { error }));

  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await once(child, 'exit').catch(() => {});
      clearTimeout(timer);
    }
    rmSync(scratch, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(
        `pouls demo (${binary}) exited before serving: ${JSON.stringify(exited)}\n` +
          `stdout:\n${stdout}\nstderr:\n${stderr}\n` +
          'Build it first with `cargo build`, or set POULS_BIN.',
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pouls demo did not answer ${baseURL}/healthz within ${timeoutMs} ms\n${stderr}`);
    }
    try {
      const response = await fetch(`${baseURL}/healthz`);
      if (response.status === 200 && /mot de passe:/.test(stdout)) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const email = stdout.match(/^email: (.+)$/m)?.[1].trim();
  const password = stdout.match(/^mot de passe: (.+)$/m)?.[1].trim();
  if (!email || !password) {
    await stop();
    throw new Error(`pouls demo printed no login:\n${stdout}`);
  }
  return { baseURL, email, password, stop };
}

/** Headless Debian Chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A browser context on the server, French, with the given viewport. */
export function newContext(browser, server, { viewport = desktop, javaScriptEnabled = true, ...rest } = {}) {
  return browser.newContext({
    baseURL: server.baseURL,
    viewport,
    javaScriptEnabled,
    locale: 'fr-FR',
    ...rest,
  });
}

/** Logs in through `/connexion` and waits for the staff side. */
export async function login(page, email, password) {
  await page.goto('/connexion');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((url) => url.pathname.startsWith('/admin')), page.click('button[type="submit"]')]);
}

/** Navigates and fails unless the response has the expected status. */
export async function visit(page, url, status = 200) {
  const response = await page.goto(url);
  if (!response) throw new Error(`no response for ${url}`);
  if (response.status() !== status) {
    throw new Error(`${url} answered ${response.status()}, expected ${status}`);
  }
  return response;
}

const axeSource = require('axe-core').source;

/** The WCAG 2.1 A and AA rules: what RGAA 4.1 builds on. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page and returns its violations of the WCAG 2.1 A and AA rules.
 * axe is evaluated through the DevTools protocol, which the pages' Content-Security-Policy
 * does not block; it needs a context with JavaScript enabled (its timers never fire
 * otherwise). The pages themselves have no script, so this changes nothing they show.
 */
export async function axeViolations(page) {
  const already = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!already) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    axeTags,
  );
  return results.violations;
}

/** A violation list as text: rule, impact, help URL, then each node's target and summary. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 10)
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      const more = v.nodes.length > 10 ? `\n    ... and ${v.nodes.length - 10} more nodes` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Saves a screenshot under tests/e2e/screenshots/: the whole page, or with
 * `{ fullPage: false }` what the viewport shows (the kind docs/ keeps).
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });
}

/** The element that has the focus, described for assertions. */
export function activeElement(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      value: el.getAttribute('value'),
      text: (el.textContent || '').trim().slice(0, 80),
      focusVisible: el.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
    };
  });
}

/**
 * Runs `action` (a click or a key press that submits or follows a link) and waits for the
 * new document to load. Returns the response of the last document request, so a 303
 * followed by a GET gives the GET's response and a 422 gives the 422.
 */
export async function navigation(page, action) {
  const responses = [];
  const onResponse = (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) responses.push(response);
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('load'), action()]);
  } finally {
    page.off('response', onResponse);
  }
  return responses.at(-1);
}

/**
 * As staff on `page`: clears the dates of the collection point at `pointHref`
 * (`/admin/points/{id}`), so it takes answers today. Most of the demo's points collected on
 * days now past, and a point outside its dates answers 410.
 */
export async function keepPointOpen(page, pointHref) {
  await visit(page, `${pointHref}/modifier`);
  await page.fill('input[name="starts_on"]', '');
  await page.fill('input[name="ends_on"]', '');
  const saved = await navigation(page, () => page.click('form.stack button[type="submit"]'));
  if (new URL(page.url()).pathname !== pointHref) {
    throw new Error(`the point ${pointHref} was not saved (status ${saved?.status()})`);
  }
}

/** The survey page of the demo's survey named `title`, from the home page's list. */
export async function openSurvey(page, title) {
  await visit(page, '/t/ccyn/');
  const link = page.locator('.survey-list a', { hasText: title });
  const href = await link.first().getAttribute('href');
  if (!href) throw new Error(`no open survey "${title}" on the home page`);
  await visit(page, href);
  return href;
}
