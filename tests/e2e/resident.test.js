// The resident path in a real browser: a phone without JavaScript, the keyboard alone,
// and a kiosk tablet that thanks each person on a screen of its own, then gives the next
// one an empty form.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  accounts,
  activeElement,
  launchBrowser,
  login,
  navigation,
  newContext,
  openSurvey,
  phone,
  screenshot,
  startServer,
  visit,
} from './lib/harness.js';

// The demo's survey open now, at France Services, town halls and online.
const SURVEY = 'Vos services au quotidien';
const HEADING = 'Vos services au quotidien : votre avis compte';

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

/** A phone without JavaScript: what a resident scanning a poster is assumed to have. */
async function residentPage() {
  const context = await newContext(browser, server, { viewport: phone, javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

/** Checks the answers typed before the failed submit are all still there. */
async function assertValuesKept(page) {
  assert.ok(await page.isChecked('#champ-Q1-4'), 'Q1: the "4" of the scale is still checked');
  assert.equal(await page.inputValue('#champ-Q2'), 'sergines', 'Q2: the commune is still selected');
  assert.ok(await page.isChecked('#champ-Q3'), 'Q3: "Parents et familles" is still checked');
  for (const id of ['#champ-Q4', '#champ-Q4-2', '#champ-Q4-3', '#champ-Q4-4']) {
    assert.ok(await page.isChecked(id), `Q4: ${id} is still checked`);
  }
  assert.ok(await page.isChecked('#champ-Q5-2'), 'Q5: "Non" is still checked');
  assert.equal(await page.inputValue('#champ-Q7'), 'Plus de bancs à l’ombre', 'Q7: the typed text is kept');
}

/** The error state after four animations were ticked where three at most are allowed. */
async function assertErrorShown(page, response) {
  assert.equal(response.status(), 422, 'a form with a mistake answers 422');
  assert.match(await page.title(), /^Erreur : /, 'the page title starts with "Erreur :"');
  const summary = page.locator('#erreurs');
  assert.ok(await summary.isVisible(), 'the error summary is shown');
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.equal(await summary.locator('h2').innerText(), 'Le formulaire contient une erreur');
  const link = summary.locator('a[href="#champ-Q4"]');
  assert.equal(await link.count(), 1, 'the summary links to the field in error');
  assert.equal((await link.innerText()).trim(), 'Choisissez au plus 3 réponses.');

  const fieldset = page.locator('fieldset:has(#champ-Q4)');
  assert.match((await fieldset.getAttribute('class')) ?? '', /field-error/);
  const message = page.locator('#champ-Q4-erreur');
  assert.ok(await message.isVisible(), 'the message is shown by the field');
  assert.equal(await message.getAttribute('class'), 'error-message');
  assert.match(await message.innerText(), /Choisissez au plus 3 réponses\./);
  const describedBy = ((await fieldset.getAttribute('aria-describedby')) ?? '').split(' ');
  assert.ok(describedBy.includes('champ-Q4-erreur'), 'the group is described by its error message');
  assert.equal(await page.locator('.error-message').count(), 1, 'only the field in error has a message');
  await assertValuesKept(page);
}

describe('resident on a 360 x 800 phone without JavaScript', () => {
  test('answers, makes a mistake, fixes it and is thanked', async () => {
    const { context, page } = await residentPage();
    try {
      const address = await openSurvey(page, SURVEY);
      assert.match(address, /^\/q\/[a-z0-9]{6}$/);
      assert.equal(await page.locator('h1').innerText(), HEADING);
      await screenshot(page, 'phone-resident-form');
      await screenshot(page, 'phone-resident-form-top', { fullPage: false });
      // The commune asked is where the person lives: its purpose is declared (RGAA 11.13).
      assert.equal(await page.getAttribute('#champ-Q2', 'autocomplete'), 'address-level2');

      await page.check('#champ-Q1-4');
      await page.selectOption('#champ-Q2', 'sergines');
      await page.check('#champ-Q3');
      // The mistake: four animations where three at most are allowed.
      for (const id of ['#champ-Q4', '#champ-Q4-2', '#champ-Q4-3', '#champ-Q4-4']) await page.check(id);
      await page.check('#champ-Q5-2');
      await page.fill('#champ-Q7', 'Plus de bancs à l’ombre');
      const token = await page.inputValue('input[name="jeton"]');

      const failed = await navigation(page, () => page.click('button.submit'));
      await assertErrorShown(page, failed);
      // The token is `nonce.expiry.signature`: the same form (its nonce, so a double tap
      // still counts once), signed again with a new expiry.
      const nonce = (value) => value.split('.')[0];
      assert.equal(nonce(await page.inputValue('input[name="jeton"]')), nonce(token), 'the form keeps its one-time token');
      await screenshot(page, 'phone-resident-error');
      await screenshot(page, 'phone-resident-error-top', { fullPage: false });

      await page.uncheck('#champ-Q4-4');
      const thanked = await navigation(page, () => page.click('button.submit'));
      assert.equal(thanked.status(), 200);
      assert.equal(new URL(page.url()).pathname, `${address}/merci`);
      assert.equal(await page.locator('h1').innerText(), 'Merci pour vos réponses !');
      await screenshot(page, 'phone-resident-thanks');
    } finally {
      await context.close();
    }
  });
});

/**
 * Presses Tab until the focused element satisfies `wanted`, checking on the way that every
 * element reached shows a visible focus indicator.
 */
async function tabTo(page, wanted, description, max = 80) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await activeElement(page);
    assert.notEqual(focused.tag, 'body', `Tab left the page while looking for ${description}`);
    assertFocusVisible(focused);
    if (wanted(focused)) return focused;
  }
  throw new Error(`${description} not reached after ${max} Tab presses`);
}

function assertFocusVisible(focused) {
  const what = `${focused.tag}#${focused.id || focused.name || focused.text}`;
  assert.ok(focused.focusVisible, `${what} matches :focus-visible`);
  assert.notEqual(focused.outlineStyle, 'none', `${what} has a focus outline`);
  assert.ok(focused.outlineWidth >= 2, `${what} has an outline of at least 2 px (${focused.outlineWidth})`);
}

const byId = (id) => (focused) => focused.id === id;

describe('resident with the keyboard only', () => {
  test('fills the form with Tab, Space and Enter; focus goes to the error summary', async () => {
    const { context, page } = await residentPage();
    try {
      const address = await openSurvey(page, SURVEY);

      // The first Tab reaches the skip link, which then shows on screen.
      await page.keyboard.press('Tab');
      const skip = await activeElement(page);
      assert.equal(skip.text, 'Aller au contenu', 'the first Tab stop is the skip link');
      assertFocusVisible(skip);
      const box = await page.locator('.skip-link').boundingBox();
      assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is visible on screen');

      await tabTo(page, byId('champ-Q1'), 'question 1');
      await page.keyboard.press('Space');
      assert.ok(await page.isChecked('#champ-Q1'), 'Space checks the focused radio button');

      await tabTo(page, byId('champ-Q2'), 'the commune list');
      // Typing a name selects it in a closed list, as it does for a sighted keyboard user.
      await page.keyboard.type('Sergines');
      assert.equal(await page.inputValue('#champ-Q2'), 'sergines');

      await tabTo(page, byId('champ-Q3'), 'question 3');
      await page.keyboard.press('Space');

      // The mistake: four animations ticked where three at most are allowed.
      await tabTo(page, byId('champ-Q4'), 'the first animation');
      await page.keyboard.press('Space');
      for (const id of ['champ-Q4-2', 'champ-Q4-3', 'champ-Q4-4']) {
        await tabTo(page, byId(id), id);
        await page.keyboard.press('Space');
      }

      await tabTo(page, byId('champ-Q5'), 'question 5');
      await page.keyboard.press('Space'); // "Oui": question 6 then needs an answer
      await tabTo(page, byId('champ-Q6'), 'question 6');
      await page.keyboard.press('Space');
      await tabTo(page, byId('champ-Q7'), 'question 7');
      await page.keyboard.type('Des jeux pour les plus grands');
      await tabTo(page, (f) => f.tag === 'button' && f.text === 'Envoyer mes réponses', 'the send button');

      const failed = await navigation(page, () => page.keyboard.press('Enter'));
      assert.equal(failed.status(), 422);

      // Focus is on the error summary, without any script (autofocus).
      const focused = await activeElement(page);
      assert.equal(focused.id, 'erreurs', `focus goes to the error summary, not ${JSON.stringify(focused)}`);
      assertFocusVisible(focused);
      const summaryBox = await page.locator('#erreurs').boundingBox();
      assert.ok(summaryBox && summaryBox.y >= 0 && summaryBox.y < phone.height, 'the focused summary is on screen');
      for (const id of ['#champ-Q1', '#champ-Q3', '#champ-Q4', '#champ-Q4-4', '#champ-Q5', '#champ-Q6']) {
        assert.ok(await page.isChecked(id), `${id} is still checked`);
      }
      assert.equal(await page.inputValue('#champ-Q2'), 'sergines');
      assert.equal(await page.inputValue('#champ-Q7'), 'Des jeux pour les plus grands');
      await screenshot(page, 'phone-keyboard-error-focus');

      // Tab reaches the summary's link; Enter takes the focus to the field in error.
      const link = await tabTo(page, (f) => f.tag === 'a', 'the link of the error summary', 1);
      assert.equal(link.text, 'Choisissez au plus 3 réponses.');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'champ-Q4');
      assertFocusVisible(await activeElement(page));
      await page.keyboard.press('Space');
      assert.equal(await page.isChecked('#champ-Q4'), false, 'Space unticks the first animation');

      await tabTo(page, (f) => f.tag === 'button' && f.text === 'Envoyer mes réponses', 'the send button');
      const thanked = await navigation(page, () => page.keyboard.press('Enter'));
      assert.equal(thanked.status(), 200);
      assert.equal(new URL(page.url()).pathname, `${address}/merci`);
      assert.equal(await page.locator('h1').innerText(), 'Merci pour vos réponses !');
    } finally {
      await context.close();
    }
  });
});

describe('kiosk collection point', () => {
  test('thanks the person on a screen of its own, then gives the next one an empty form, with no timer', async () => {
    // Staff find the kiosk point of the survey: it takes answers today.
    const staff = await newContext(browser, server);
    let code;
    try {
      const page = await staff.newPage();
      await login(page, accounts.admin, server.password);
      await visit(page, '/admin/enquetes');
      await navigation(page, () => page.click(`table a:has-text("${SURVEY}")`));
      const row = page.locator('tr', { has: page.locator('td', { hasText: /^Kiosque$/ }) });
      assert.equal(await row.count(), 1, 'the demo survey has one kiosk point');
      code = (await row.locator('code').innerText()).trim();
    } finally {
      await staff.close();
    }

    const { context, page } = await residentPage();
    try {
      const address = `/q/${code}`;
      await visit(page, address);
      // A tablet left for the public: no menu and no link out of the form.
      assert.equal(await page.locator('nav').count(), 0, 'no menu');
      assert.equal(await page.locator('a:has-text("Espace agents")').count(), 0);
      assert.equal(await page.locator('a[href="/"]').count(), 0, 'no link home');
      const firstToken = await page.inputValue('input[name="jeton"]');
      await page.check('#champ-Q1-5');
      await page.selectOption('#champ-Q2', 'sergines');
      await page.check('#champ-Q3-4');
      await page.check('#champ-Q4-2');
      await page.check('#champ-Q5-2');
      await page.fill('#champ-Q7', 'Très bon accueil');
      const thanked = await navigation(page, () => page.click('button.submit'));
      assert.equal(thanked.status(), 200);

      // The thanks on their own screen, which waits for a tap: nothing reloads the page
      // on a timer (RGAA 13.1.2).
      assert.equal(new URL(page.url()).pathname, `${address}/merci`);
      assert.equal(await page.locator('h1').innerText(), 'Merci pour vos réponses !');
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'no timed reload');
      assert.equal(await page.locator('a:has-text("Espace agents")').count(), 0);
      await screenshot(page, 'phone-kiosk-thanks');

      // "Nouvelle réponse": an empty form that thanks nobody.
      await navigation(page, () => page.click('a:has-text("Nouvelle réponse")'));
      assert.equal(new URL(page.url()).pathname, address);
      assert.equal(await page.locator('h1').innerText(), HEADING);
      assert.equal(await page.locator('text=Merci pour vos réponses').count(), 0, 'no thanks for answers not given');
      assert.equal(await page.locator('[role="status"]').count(), 0);
      assert.equal(await page.locator('input:checked').count(), 0, 'nothing is ticked');
      assert.equal(await page.inputValue('#champ-Q2'), '', 'no commune is selected');
      assert.equal(await page.inputValue('#champ-Q7'), '', 'the text field is empty');
      assert.equal(await page.locator('#erreurs').count(), 0);
      assert.notEqual(await page.inputValue('input[name="jeton"]'), firstToken, 'the next person gets a new form token');
    } finally {
      await context.close();
    }
  });
});
