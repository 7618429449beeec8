// The staff side in a real browser: an agent builds a survey, prints its poster and reads
// its results; a partenaire sees small counts hidden.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  accounts,
  desktop,
  launchBrowser,
  login,
  navigation,
  newContext,
  phone,
  screenshot,
  startServer,
  visit,
} from './lib/harness.js';

const TITLE = 'Marché de Sergines : vos déplacements';
/** The title as printed: a no-break space keeps the colon on the line of its words. */
const PRINTED_TITLE = TITLE.replace(' :', '\u00a0:');

let server;
let browser;
/** What the builder test made, for the tests after it. */
const made = { surveyId: null, code: null };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A date `days` after the ISO date `iso`, as YYYY-MM-DD. */
function addDays(iso, days) {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The notice shown after a redirect on the survey page. */
async function notice(page) {
  return (await page.locator('p.notice[role="status"]').innerText()).trim();
}

/** Adds a question of `kind` from the survey page; `fill` fills the question form. */
async function addQuestion(page, kind, fill) {
  await page.selectOption('#champ-type', kind);
  await navigation(page, () => page.click('button:has-text("Ajouter une question")'));
  assert.match(new URL(page.url()).search, new RegExp(`type=${kind}`));
  await fill();
  const saved = await navigation(page, () => page.click('button:has-text("Enregistrer la question")'));
  assert.equal(saved.status(), 200, `the ${kind} question is saved`);
  assert.equal(await notice(page), 'La question a été enregistrée.');
}

describe('staff', () => {
  test('an agent creates a survey with three question kinds, opens it and prints its poster', async () => {
    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, '/admin/enquetes');
      await navigation(page, () => page.click('a:has-text("Nouvelle enquête")'));
      assert.equal(new URL(page.url()).pathname, '/admin/enquetes/nouvelle');

      await page.fill('#champ-title', TITLE);
      await page.fill('#champ-intro', 'Comment venez-vous au marché ? Dites-le-nous en une minute, c’est anonyme.');
      await page.fill('#champ-why', 'Pour adapter le transport à la demande.');
      await page.check('input[name="actions"][value="14"]');
      await page.check('input[name="themes"] >> nth=0');
      const opens = await page.inputValue('#champ-opens_on');
      assert.match(opens, /^\d{4}-\d{2}-\d{2}$/, 'the opening date defaults to today');
      await page.fill('#champ-closes_on', addDays(opens, 30));
      const created = await navigation(page, () => page.click('button:has-text("Enregistrer")'));
      assert.equal(created.status(), 200);
      const match = new URL(page.url()).pathname.match(/^\/admin\/enquetes\/(\d+)$/);
      assert.ok(match, `redirected to the new survey, not ${page.url()}`);
      made.surveyId = match[1];
      assert.equal(await notice(page), "L'enquête a été créée. Ajoutez ses questions, puis ouvrez-la.");

      await addQuestion(page, 'single', async () => {
        await page.fill('#champ-label', 'Comment êtes-vous venu au marché ?');
        await page.fill('#champ-new_options', 'En voiture\nÀ pied ou à vélo\nEn transport à la demande');
      });
      await addQuestion(page, 'scale', async () => {
        await page.fill('#champ-label', 'Êtes-vous satisfait des moyens de transport ?');
      });
      await addQuestion(page, 'long_text', async () => {
        await page.fill('#champ-label', 'Une idée pour venir plus facilement ?');
        await page.uncheck('#champ-required');
      });
      const questions = page.locator('.question-item');
      assert.equal(await questions.count(), 3);
      const kinds = await page.locator('.question-item p.muted').allInnerTexts();
      assert.match(kinds[0], /^Choix unique · obligatoire/);
      assert.match(kinds[1], /^Échelle de 1 à 5 · obligatoire/);
      assert.match(kinds[2], /^Texte long · facultative/);

      await navigation(page, () => page.click('button:has-text("Ouvrir l\'enquête")'));
      assert.match(await notice(page), /^L'enquête est ouverte/);

      // The online point made with the survey: its page, then its poster.
      await navigation(page, () => page.click('table a[href^="/admin/points/"]'));
      made.code = (await page.locator('dd code').innerText()).trim();
      assert.match(made.code, /^[a-z0-9]{6}$/);
      await navigation(page, () => page.click('a:has-text("Affiche A4 à imprimer")'));
      assert.equal(new URL(page.url()).pathname, `/q/${made.code}/affiche`);

      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.screen-only').isVisible(), false, 'the screen-only help is not printed');
      assert.equal(await page.locator('h1').innerText(), PRINTED_TITLE);
      assert.equal(await page.locator('.poster-why').innerText(), 'Pour adapter le transport à la demande.');
      const qr = page.locator('.poster-qr svg');
      assert.ok(await qr.isVisible(), 'the QR code is printed');
      const qrBox = await qr.boundingBox();
      assert.ok(qrBox.width >= 300, `the QR code is printed large (${qrBox.width} CSS px)`);
      assert.match(await page.locator('.poster-url').innerText(), new RegExp(`/q/${made.code}$`));
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.equal(pages, 1, 'the poster prints on one A4 sheet');
      await screenshot(page, 'desktop-poster-print');
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await context.close();
    }
  });

  test('the agent opens the printable paper version of the survey', async () => {
    assert.ok(made.surveyId, 'the builder test made a survey');
    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, `/admin/enquetes/${made.surveyId}`);
      await navigation(page, () => page.click('a:has-text("Version papier")'));
      assert.equal(new URL(page.url()).pathname, `/admin/enquetes/${made.surveyId}/papier`);

      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.site-header').isVisible(), false, 'no staff menu on paper');
      assert.equal(await page.locator('.screen-only').first().isVisible(), false, 'the screen-only help is not printed');
      assert.equal(await page.locator('h1').innerText(), PRINTED_TITLE);
      const questions = page.locator('.paper-question');
      assert.equal(await questions.count(), 3, 'the three questions are printed');
      assert.match(await questions.nth(0).innerText(), /Comment êtes-vous venu au marché \?/);
      assert.equal(await questions.nth(0).locator('li').count(), 3, 'one box per option');
      assert.match(await questions.nth(2).innerText(), /\(facultatif\)/);
      assert.ok(await page.locator('.paper-qr svg').isVisible(), 'the QR code for answering online is printed');
      assert.match(await page.locator('.paper-qr').innerText(), new RegExp(made.code));
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.ok(pages >= 1 && pages <= 2, `three questions print on one or two A4 sheets, not ${pages}`);
      await screenshot(page, 'desktop-paper-print');
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await context.close();
    }
  });

  test('residents answer the new survey and the agent reads its results', async () => {
    assert.ok(made.code, 'the builder test made a survey');
    const answers = [
      { mode: '#champ-Q1', scale: '#champ-Q2-4', idea: 'Un bus le samedi matin' },
      { mode: '#champ-Q1-3', scale: '#champ-Q2-2', idea: '' },
      { mode: '#champ-Q1', scale: '#champ-Q2-5', idea: '' },
    ];
    const residents = await newContext(browser, server, { viewport: phone, javaScriptEnabled: false });
    try {
      const page = await residents.newPage();
      for (const answer of answers) {
        await visit(page, `/q/${made.code}`);
        await page.check(answer.mode);
        await page.check(answer.scale);
        if (answer.idea) await page.fill('#champ-Q3', answer.idea);
        const response = await navigation(page, () => page.click('button.submit'));
        assert.equal(response.status(), 200);
        assert.equal(new URL(page.url()).pathname, `/q/${made.code}/merci`);
      }
    } finally {
      await residents.close();
    }

    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.agent, server.password);
      await visit(page, `/admin/enquetes/${made.surveyId}`);
      await navigation(page, () => page.click('a:has-text("Résultats")'));
      assert.equal(new URL(page.url()).pathname, `/admin/enquetes/${made.surveyId}/resultats`);
      assert.equal(await page.locator('p.lead strong').innerText(), '3 réponses');

      const q1 = page.locator('section.result', { has: page.locator('h2', { hasText: 'Q1 · ' }) });
      const chart = q1.locator('svg.chart');
      assert.equal(await chart.getAttribute('role'), 'img');
      assert.equal(await chart.getAttribute('aria-label'), 'Répartition des réponses à « Comment êtes-vous venu au marché ? »');
      const rows = await q1.locator('tbody tr').allInnerTexts();
      assert.deepEqual(
        rows.map((row) => row.split('\t').map((cell) => cell.trim())),
        [
          ['En voiture', '2', '66,7 %'],
          ['À pied ou à vélo', '0', '0,0 %'],
          ['En transport à la demande', '1', '33,3 %'],
        ],
      );
      const q2 = page.locator('section.result', { has: page.locator('h2', { hasText: 'Q2 · ' }) });
      assert.match(await q2.innerText(), /Moyenne : 3,7 sur 5/);
      const texts = page.locator('.text-answer');
      assert.equal(await texts.count(), 1);
      assert.equal(await texts.locator('blockquote').innerText(), 'Un bus le samedi matin');
      assert.match(await texts.locator('p.muted').innerText(), /À relire$/);
      await screenshot(page, 'desktop-results');
      await screenshot(page, 'desktop-results-top', { fullPage: false });
    } finally {
      await context.close();
    }
  });

  test('a partenaire sees "< 5" where counts are small in the results', async () => {
    assert.ok(made.surveyId, 'the builder test made a survey');
    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.partenaire, server.password);
      await visit(page, '/admin/enquetes');
      // Partenaires go straight to the results from the list.
      await navigation(page, () => page.click(`table a:has-text("${TITLE}")`));
      assert.equal(new URL(page.url()).pathname, `/admin/enquetes/${made.surveyId}/resultats`);
      assert.equal(await page.locator('p.lead strong').innerText(), 'Moins de 5 réponses');
      const q1 = page.locator('section.result', { has: page.locator('h2', { hasText: 'Q1 · ' }) });
      const rows = await q1.locator('tbody tr').allInnerTexts();
      assert.deepEqual(
        rows.map((row) => row.split('\t').map((cell) => cell.trim())),
        [
          ['En voiture', '< 5', '–'],
          // The total is hidden, so no share shows, not even that of a zero.
          ['À pied ou à vélo', '0', '–'],
          ['En transport à la demande', '< 5', '–'],
        ],
      );
      assert.doesNotMatch(await q1.innerText(), /Moyenne/);
      // Free text not yet reviewed stays hidden from partenaires.
      assert.equal(await page.locator('.text-answer').count(), 0);
      await screenshot(page, 'desktop-results-partenaire');
    } finally {
      await context.close();
    }
  });

  test('a partenaire opens the needs board and sees "< 5" where counts are small', async () => {
    const context = await newContext(browser, server, { viewport: desktop });
    try {
      const page = await context.newPage();
      await login(page, accounts.partenaire, server.password);
      await visit(page, '/admin/observatoire');
      assert.match(await page.locator('h1').innerText(), /^Tableau de bord des besoins/);
      assert.match(await page.locator('main').innerText(), /les nombres de réponses de 1 à 4 sont affichés « < 5 »/);
      const cells = (await page.locator('main table td').allInnerTexts()).map((cell) => cell.trim());
      assert.ok(cells.length > 0, 'the board has a table of counts');
      assert.ok(cells.includes('< 5'), 'some small counts are shown as "< 5"');
      // No count from 1 to 4 is ever shown as such.
      const shown = cells.filter((cell) => /^\d[\d\s\u202f]*$/.test(cell)).map((cell) => Number(cell.replace(/\D/g, '')));
      const small = shown.filter((n) => n >= 1 && n <= 4);
      assert.deepEqual(small, [], `counts under 5 shown on the board: ${small.join(', ')}`);
      await screenshot(page, 'desktop-needs-board-partenaire');
    } finally {
      await context.close();
    }
  });
});
