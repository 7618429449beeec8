// What a meeting prints and what an event projects, in a real browser: the needs board
// (on screen at 1280 px without sideways scrolling, and on A4), the meeting report and a
// survey's results print view go through Chromium's PDF output, whose text (poppler's
// pdftotext) must hold every theme and question, every table row whole, on a few pages.
// The live screen is looked at on a 1920 x 1080 projector, and updates itself.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  accounts,
  desktop,
  keepPointOpen,
  launchBrowser,
  login,
  navigation,
  newContext,
  phone,
  screenshot,
  startServer,
  visit,
} from './lib/harness.js';

const SURVEY = 'Ville à Joie 2026 : votre avis';
const OPEN_SURVEY = 'Vos services au quotidien : votre avis compte';
const THEMES = [
  'Petite enfance',
  'Enfance',
  'Jeunesse',
  'Parentalité',
  'Accès aux droits',
  'Santé / handicap',
  'Animation de la vie sociale',
];
const projector = { width: 1920, height: 1080 };

let server;
let browser;
let scratch;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  scratch = mkdtempSync(path.join(tmpdir(), 'pouls-print-'));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * Spaces of every kind as one, so French numbers ("1 234") and wrapped lines compare; and
 * none after "<", which pdftotext drops from "< 5".
 */
function squash(text) {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ').replace(/< /g, '<').trim();
}

/**
 * Prints the page to A4 as Chromium does (the page's own @page sizes win, as in the
 * print dialog) and reads the PDF back: its text laid out as on paper, and each sheet's
 * orientation.
 */
async function printToPdf(page, name) {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const file = path.join(scratch, `${name}.pdf`);
  writeFileSync(file, pdf);
  let text;
  let info;
  try {
    text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', file], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`pdftotext and pdfinfo (Debian's poppler-utils) read the printed PDF: ${error.message}`);
  }
  const sheets = [...info.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)/gm)].map(([, w, h]) =>
    Number(w) > Number(h) ? 'landscape' : 'portrait',
  );
  assert.ok(sheets.length > 0, `pdfinfo lists the pages of ${name}`);
  return { text, flat: squash(text), sheets };
}

/** The rows of the board table on the page, each as its cells' text. */
function boardRows(page) {
  return page.$$eval('table.board tbody tr', (rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent.trim())),
  );
}

/** Every row of the board printed whole: its commune, then its seven cells, in order. */
function assertRowsWhole(printed, rows, what) {
  assert.ok(rows.length >= 23, `${what}: the 23 communes at least (${rows.length} rows)`);
  for (const cells of rows) {
    assert.equal(cells.length, 8, `${what}: a commune and seven themes`);
    const line = squash(cells.join(' '));
    assert.ok(printed.flat.includes(line), `${what}: the row "${line}" is printed whole`);
  }
}

function assertThemes(printed, what) {
  for (const theme of THEMES) assert.ok(printed.flat.includes(theme), `${what}: "${theme}" is printed`);
}

describe('printing for a meeting, projecting at an event', () => {
  test('the needs board fits a 1280 px screen and prints whole on one landscape A4 page', async () => {
    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, '/admin/observatoire');
      const widths = await page.evaluate(() => {
        const box = document.querySelector('.table-scroll');
        return {
          page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
          table: [box.scrollWidth, box.clientWidth],
        };
      });
      assert.ok(widths.page[0] <= widths.page[1], `no sideways scroll of the page: ${widths.page}`);
      assert.ok(widths.table[0] <= widths.table[1], `the board fits its box: ${widths.table}`);
      const headings = await page.$$eval('table.board thead th', (cells) => cells.map((c) => c.innerText.trim()));
      assert.equal(headings.length, 8);
      assert.equal(await page.getAttribute('table.board abbr', 'title'), 'Animation de la vie sociale');
      await screenshot(page, 'desktop-needs-board');

      await navigation(page, () => page.click('a:has-text("Version à imprimer")'));
      assert.match(new URL(page.url()).search, /impression=1/);
      const rows = await boardRows(page);
      const printed = await printToPdf(page, 'board');
      assertThemes(printed, 'board');
      assertRowsWhole(printed, rows, 'board');
      assert.deepEqual(printed.sheets, ['landscape'], 'one landscape sheet');
      assert.doesNotMatch(printed.flat, /Version à imprimer|Afficher/, 'no controls on paper');
    } finally {
      await context.close();
    }
  });

  test('the meeting report prints its frozen board whole on a landscape page', async () => {
    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, '/admin/reunions');
      const meetings = await page.$$eval('main .link-list a', (links) => links.map((a) => a.getAttribute('href')));
      let rows = [];
      for (const meeting of meetings) {
        await visit(page, `${meeting}/compte-rendu`);
        rows = await boardRows(page);
        if (rows.length > 0) break;
      }
      assert.ok(rows.length > 0, 'a demo meeting has its board frozen');
      const printed = await printToPdf(page, 'report');
      assertThemes(printed, 'report');
      assertRowsWhole(printed, rows, 'report');
      assert.ok(printed.sheets.includes('landscape'), `the board on a landscape sheet: ${printed.sheets}`);
      assert.equal(printed.sheets[0], 'portrait', 'the text of the report stays upright');
      assert.ok(printed.sheets.length <= 6, `${printed.sheets.length} pages`);
      assert.match(printed.flat, /Participation/);
      assert.match(printed.flat, /Décisions/);
    } finally {
      await context.close();
    }
  });

  test('an agent publishes answers in bulk without script, and the results print on a few pages', async () => {
    const context = await newContext(browser, server, { viewport: desktop, javaScriptEnabled: false });
    let resultsPath;
    let published;
    try {
      const page = await context.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, '/admin/enquetes');
      const survey = await page.locator(`table a:has-text("${SURVEY}")`).first().getAttribute('href');
      await visit(page, `${survey}/resultats`);
      resultsPath = new URL(page.url()).pathname;

      const items = page.locator('li.text-answer');
      assert.equal(await items.count(), 50, '50 answers a page');
      assert.match(await page.locator('nav.pager').innerText(), /Page 1 sur \d+/);
      const need = page.locator('li.text-answer select').first();
      assert.equal(await need.inputValue(), '', 'no need chosen in advance');
      published = [];
      for (let n = 0; n < 3; n += 1) {
        await items.nth(n).locator('input[name="choix"]').check();
        published.push((await items.nth(n).locator('blockquote').innerText()).trim());
      }
      const done = await navigation(page, () => page.click('button[name="action"][value="publiable"]'));
      assert.equal(done.status(), 200);
      assert.equal(new URL(page.url()).hash, '#reponses-libres');
      assert.match(await page.locator('nav.filters a:has-text("Publiables")').innerText(), /^Publiables \(3\)$/);
      await screenshot(page, 'desktop-results-review', { fullPage: false });
    } finally {
      await context.close();
    }

    const printing = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await printing.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, resultsPath);
      await navigation(page, () => page.click('a:has-text("Version à imprimer")'));
      assert.equal(new URL(page.url()).pathname, `${resultsPath}/imprimer`);
      assert.equal(await page.locator('main form, main button, main input, main select').count(), 0, 'no controls');
      const questions = await page.$$eval('section.result h2', (headings) => headings.map((h) => h.textContent.trim()));
      assert.ok(questions.length >= 6, `${questions.length} questions`);
      const printed = await printToPdf(page, 'results');
      for (const question of questions) assert.ok(printed.flat.includes(squash(question)), `"${question}" is printed`);
      for (const quote of published) assert.ok(printed.flat.includes(squash(quote)), `the published "${quote}" is quoted`);
      for (const fact of ['Période', 'Filtres', 'Réponses', 'Points de collecte', '1 200 réponses']) {
        assert.ok(printed.flat.includes(fact), `the summary says "${fact}"`);
      }
      assert.doesNotMatch(printed.flat, /Rattacher|Marquer relue|Filtrer/, 'no controls on paper');
      assert.ok(printed.sheets.length <= 8, `a few pages, not ${printed.sheets.length}`);

      await page.setViewportSize({ width: 794, height: 1123 });
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, 'a4-results-print', { fullPage: false });
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await printing.close();
    }
  });

  test('the live screen fills a 1920 x 1080 projector and updates its figures by itself', async () => {
    const staff = await newContext(browser, server, { viewport: desktop });
    let live;
    let point;
    try {
      const page = await staff.newPage();
      await login(page, accounts.admin, server.password);
      await visit(page, '/admin/enquetes');
      // The survey open today: the demo's past events are closed.
      const survey = await page.locator(`table a:has-text("${OPEN_SURVEY}")`).first().getAttribute('href');
      await visit(page, survey);
      const points = await page.locator('table a[href^="/admin/points/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const candidate of points) {
        await visit(page, candidate);
        const link = page.locator('a:has-text("Écran en direct")');
        if (await link.count()) {
          live = await link.getAttribute('href');
          point = candidate;
          break;
        }
      }
      assert.ok(live, 'a point of the survey has its live screen on');
      // The point's forum day is past: let it take answers today.
      await keepPointOpen(page, point);
    } finally {
      await staff.close();
    }
    const code = live.split('/')[2];

    const screen = await newContext(browser, server, { viewport: projector });
    try {
      const page = await screen.newPage();
      await visit(page, live);
      const running = page.locator('#mise-a-jour-en-cours');
      await running.waitFor({ state: 'visible' });
      assert.equal(await page.locator('#mise-a-jour-manuelle').isVisible(), false);
      const layout = await page.evaluate(() => ({
        scroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
        main: document.querySelector('main').getBoundingClientRect().width,
        font: parseFloat(getComputedStyle(document.querySelector('.live-bars li')).fontSize),
        lefts: [...document.querySelectorAll('.live-question')].map((s) => Math.round(s.getBoundingClientRect().left)),
        qr: document.querySelector('.live-qr svg').getBoundingClientRect().width,
      }));
      assert.ok(layout.scroll[0] <= layout.scroll[1], 'no sideways scroll');
      assert.ok(layout.main >= 1800, `full width (${layout.main} px)`);
      assert.ok(layout.font >= 22, `large type (${layout.font} px)`);
      assert.ok(new Set(layout.lefts).size >= 3, `questions side by side: ${layout.lefts}`);
      assert.ok(layout.qr >= 200, `a QR code to scan from the room (${layout.qr} px)`);
      assert.match(await page.locator('.live-qr').innerText(), new RegExp(`/q/${code}`), 'the short address');
      const counted = await page.locator('main').innerText();
      for (const label of ['tablette en libre-service', 'Mairie de Villeneuve-la-Guyard', 'Forum des services de Champigny']) {
        assert.match(counted, new RegExp(`Réponses reçues : .*${label}`, 's'), `every point counted: ${label}`);
      }
      await screenshot(page, 'projector-live-screen', { fullPage: false });

      // Someone answers on their phone; the screen changes without reloading.
      const before = (await page.locator('#total').innerText()).trim();
      await page.evaluate(() => {
        window.notReloaded = true;
      });
      const resident = await newContext(browser, server, { viewport: phone, javaScriptEnabled: false });
      try {
        const form = await resident.newPage();
        await visit(form, `/q/${code}`);
        await form.check('#champ-Q1-4');
        await form.selectOption('#champ-Q2', 'sergines');
        await form.check('#champ-Q3');
        await form.check('#champ-Q4');
        await form.check('#champ-Q5-2');
        const sent = await navigation(form, () => form.click('button.submit'));
        assert.equal(sent.status(), 200, 'the answer is taken');
      } finally {
        await resident.close();
      }
      await page.waitForFunction((old) => document.querySelector('#total').textContent.trim() !== old, before, {
        timeout: 40_000,
      });
      assert.notEqual((await page.locator('#total').innerText()).trim(), before);
      assert.equal(await page.evaluate(() => window.notReloaded), true, 'the figures changed in place');

      // Stopping it: the page says so and offers to start again.
      await navigation(page, () => page.click('a:has-text("Arrêter la mise à jour automatique")'));
      assert.match(new URL(page.url()).search, /auto=0/);
      assert.equal(await page.locator('#mise-a-jour-en-cours').isVisible(), false);
      assert.ok(await page.locator('a:has-text("Mettre à jour automatiquement")').isVisible());
    } finally {
      await screen.close();
    }
  });
});
