// Closing the loop in a real browser, without JavaScript: a resident finds "Résultats" in
// the menu and reads, for an action, a decision next to the need it answers; the action
// page links there. A partenaire finds needs and meetings in the staff menu, reads them
// without a form to change them, and follows their field report to its decisions.

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

const STATES = ['À faire', 'En cours', 'Fait', 'Abandonné'];

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The `action` forms of a page other than the logout. */
async function editForms(page) {
  const actions = await page.locator('form[method="post"]').evaluateAll((forms) => forms.map((f) => f.getAttribute('action')));
  return actions.filter((a) => a !== '/deconnexion');
}

describe('vous avez dit, nous avons fait', () => {
  test('a resident on a phone reads a decision next to the need it answers', async () => {
    const context = await newContext(browser, server, { viewport: phone, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await visit(page, '/t/ccyn/');
      await navigation(page, () => page.click('nav[aria-label="Menu principal"] a:has-text("Résultats")'));
      assert.equal(new URL(page.url()).pathname, '/t/ccyn/resultats');

      // What was said: each survey's questions with their main shares, no raw count.
      const survey = page.locator('section[id^="enquete-"]').first();
      assert.ok(await survey.locator('.heard .shares li').count() > 0, 'shares per question');
      for (const share of await survey.locator('.shares li strong').allInnerTexts()) {
        assert.match(share, /^\d+ %$/, `a share, not a count: ${share}`);
      }

      // What was decided: a need, then its decisions with their state, in one block.
      const loop = page.locator('section[id^="action-"] .loop').first();
      assert.match(await loop.locator('h4').innerText(), /^Besoin : /);
      const decision = loop.locator('ul.decisions li').first();
      assert.ok(STATES.includes((await decision.locator('strong').innerText()).trim()), 'the decision says its state');
      const action = await loop.evaluate((el) => el.closest('section').id.replace('action-', ''));
      const what = (await decision.innerText()).split(' : ')[0];
      await screenshot(page, 'phone-results-loop');

      // The action's page links back to it and lists the same decision.
      await visit(page, `/t/ccyn/plan/actions/${action}`);
      assert.ok(await page.locator(`a[href="/t/ccyn/resultats#action-${action}"]`).count() === 1);
      assert.match(await page.locator('ul.decisions').innerText(), new RegExp(what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `the action page fits a 360 px screen (${width} px)`);
    } finally {
      await context.close();
    }
  });

  test('a partenaire finds needs and meetings in the menu and reads them without forms', async () => {
    const context = await newContext(browser, server, { viewport: phone, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await login(page, accounts.partenaire, server.password);
      const menu = page.locator('nav.staff-nav');
      for (const label of ['Plan', 'Observatoire', 'Besoins', 'Remontées', 'Réunions', 'Exports']) {
        assert.equal(await menu.locator(`a:has-text("${label}")`).count(), 1, `${label} in the menu`);
      }
      assert.equal(await menu.locator('a:has-text("Comptes")').count(), 0, 'accounts are for admins');
      await screenshot(page, 'phone-staff-menu-partenaire', { fullPage: false });

      await navigation(page, () => menu.locator('a:has-text("Réunions")').click());
      assert.equal(await page.locator('nav.staff-nav a[aria-current="page"]').innerText(), 'Réunions');
      assert.equal(await page.locator('a:has-text("Nouvelle réunion")').count(), 0);
      const meeting = await page.locator('main ul.link-list a').first().getAttribute('href');
      await visit(page, meeting);
      assert.deepEqual(await editForms(page), [], 'nothing to change on a meeting');
      assert.match(await page.locator('main').innerText(), /Par mois entiers/);

      await navigation(page, () => page.locator('nav.staff-nav a:has-text("Besoins")').click());
      const need = await page.locator('main table a').first().getAttribute('href');
      await visit(page, need);
      assert.deepEqual(await editForms(page), [], 'nothing to change on a need');
    } finally {
      await context.close();
    }
  });

  test('a partenaire follows their field report to the need and its decisions', async () => {
    const context = await newContext(browser, server, { viewport: desktop, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await login(page, accounts.partenaire, server.password);
      await visit(page, '/admin/remontees');
      const followed = page.locator('li.text-answer', { hasText: 'Suite donnée' });
      assert.ok(await followed.count() > 0, 'a report has had a follow-up');
      assert.match(await followed.first().innerText(), /Suite donnée : besoin « /);
      const reports = await followed
        .locator('a:has-text("Modifier la remontée")')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      // Not every need a report fed has had a decision yet: follow them until one has.
      let decided = false;
      for (const report of reports) {
        await visit(page, report);
        const main = await page.locator('main').innerText();
        assert.match(main, /Ce qu'est devenue cette remontée/);
        assert.match(main, /Besoin : /);
        assert.match(main, /État : /);
        const states = page.locator('main section.result ul.link-list strong');
        if (await states.count()) {
          const state = await states.first().innerText();
          assert.ok(STATES.includes(state.trim()), `a decision with its state: ${state}`);
          decided = true;
          break;
        }
      }
      assert.ok(decided, 'one of the reports followed led to a decision');
      await screenshot(page, 'desktop-field-report-follow-up');
    } finally {
      await context.close();
    }
  });
});
