// Every docs page's live examples work in Chromium, as a reader would use them.
import { test, expect, open } from './helpers.mjs';

test('One tag: the three examples draw, and each snippet is the example\'s own markup, copyable', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = await open(page, '/docs/index.html');
  await expect(page.locator('mentorkit-agreement').first().getByRole('heading', { name: 'Who this agreement is between' })).toBeVisible();
  await expect(page.locator('mentorkit-feedback').getByRole('heading', { name: 'Session feedback' })).toBeVisible();
  // The programme's configuration reached the third example.
  await expect(page.locator('mentorkit-agreement[config]').getByRole('textbox', { name: 'Programme name' })).toHaveValue(/Harbourlight/);
  const first = page.locator('.snippet').first();
  await expect(first.locator('code')).toContainText('<mentorkit-agreement namespace="docs-one-tag"></mentorkit-agreement>');
  await first.getByRole('button', { name: 'Copy' }).click();
  await expect(first.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('<script type="module" src="/pkg/mentorkit-elements.js"></script>');
  expect(errors).toEqual([]);
});

test('Properties and events: each button does what its label says, and the log hears the events', async ({ page }) => {
  const errors = await open(page, '/docs/properties-events.html');
  await page.evaluate(() => localStorage.clear());
  const out = page.locator('#pe-out');
  const agreement = page.locator('#pe-agreement');
  await expect(agreement.getByRole('textbox', { name: 'Programme name' })).toHaveValue('Docs Mentoring Circle');
  await page.getByRole('button', { name: 'validate()' }).click();
  await expect(out).toContainText('"valid": false');
  await page.getByRole('button', { name: 'value = {…names}' }).click();
  await expect(agreement.getByRole('textbox', { name: 'Full name' }).first()).toHaveValue('Ama Owusu');
  await expect(page.locator('[data-event-log]')).toContainText('mentorkit-change from <mentorkit-agreement>');
  await page.getByRole('button', { name: 'submit()' }).click();
  await expect(agreement.getByRole('heading', { name: 'What this mentoring is for' })).toBeVisible();
  await page.getByRole('button', { name: "export('md')" }).click();
  await expect(out).toContainText('# Mentoring agreement');
  await expect(out).toContainText('Ama Owusu');
  await page.getByRole('button', { name: 'reset()' }).click();
  await expect(agreement.getByRole('heading', { name: 'Who this agreement is between' })).toBeVisible();
  await expect(out).not.toContainText('Ama Owusu');
  expect(errors).toEqual([]);
});

test('JS API: mount, use and destroy the feedback form; the helpers check and render without an element', async ({ page }) => {
  const errors = await open(page, '/docs/js-api.html');
  await page.getByRole('button', { name: 'Mount the feedback form' }).click();
  const widget = page.locator('#api-target mentorkit-feedback');
  await expect(widget.getByRole('heading', { name: 'Session feedback' })).toBeVisible();
  await expect(page.locator('#api-out')).toContainText(/Mounted; \d+ answers still needed/);
  await widget.getByRole('radio', { name: '4', exact: true }).check();
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#api-out')).toContainText(/Saved entry \S+ \(session\)/);
  await page.getByRole('button', { name: 'Destroy it' }).click();
  await expect(page.locator('#api-target mentorkit-feedback')).toHaveCount(0);
  await expect(page.locator('#api-out')).toHaveText('Destroyed.');

  await page.getByRole('button', { name: 'Check and render a sample' }).click();
  const helpers = page.locator('#api-helpers-out');
  await expect(helpers).toContainText('valid: false');
  await expect(helpers).toContainText('schema: mentorkit record: session');
  await expect(helpers).toContainText('Plan a first solo show.');
  expect(errors).toEqual([]);
});

test('Theming: the accent, dark and compact examples each look as described', async ({ page }) => {
  const errors = await open(page, '/docs/theming.html');
  const spacing = (selector) => page.locator(selector).evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('[part~=base]')).paddingTop);
  expect(await spacing('mentorkit-agreement')).toBe('15px'); // 16px × 0.75 × 1.25
  expect(await page.locator('mentorkit-feedback[theme=dark]').evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('[part~=base]')).backgroundColor)).toBe('rgb(23, 27, 34)');
  const compact = await page.locator('mentorkit-agreement').evaluate((el) => el.shadowRoot.querySelector('input[type=text]').getBoundingClientRect().height);
  expect(compact).toBeGreaterThanOrEqual(24);
  expect(errors).toEqual([]);
});

test('Languages: from the page\'s lang, Arabic right to left, switching, and the programme\'s wording', async ({ page }) => {
  const errors = await open(page, '/docs/languages.html');
  await expect(page.locator('div[lang=fr] mentorkit-feedback').getByRole('heading', { name: 'Retour sur la séance' })).toBeVisible();
  const arabic = page.locator('mentorkit-agreement[locale=ar]');
  await expect(arabic.locator('[part~=base]')).toHaveAttribute('dir', 'rtl');
  await expect(arabic.getByRole('heading', { name: 'اتفاقية الإرشاد' })).toBeVisible();
  await page.getByLabel('Language').selectOption('de');
  await expect(page.locator('#lang-switch').getByRole('button', { name: 'Weiter' })).toBeVisible();
  await expect(page.locator('#lang-labels').getByRole('button', { name: 'Abschicken' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('A policy without \'wasm-unsafe-eval\' gets a readable message and a coded event; the recommended one works', async ({ page }) => {
  await page.goto('/docs/csp-blocked.html');
  const widget = page.locator('mentorkit-agreement');
  await expect(widget.getByRole('alert')).toContainText('This form cannot start in this page');
  await expect(page.locator('[data-event-log]')).toContainText('"code":"wasm-blocked"');
  await expect(page.locator('[data-event-log]')).toContainText("wasm-unsafe-eval");
  const rejected = await page.evaluate(() => document.querySelector('mentorkit-agreement').ready.then(() => 'started', (e) => e.code));
  expect(rejected).toBe('wasm-blocked');

  await open(page, '/docs/csp-allowed.html');
  const allowed = page.locator('mentorkit-agreement');
  await expect(allowed.getByRole('heading', { name: 'Who this agreement is between' })).toBeVisible();
  expect(await allowed.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('input')).borderTopWidth)).toBe('1px');
});

test('printing the agreement and the history summary works under the recommended policy, refusing nothing', async ({ page }) => {
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text()); });
  await open(page, '/docs/csp-allowed.html');
  // What the print dialog would get: the document in its frame, styled.
  await page.evaluate(() => {
    window.__printed = [];
    document.addEventListener('load', (event) => {
      const frame = event.target;
      if (!(frame instanceof HTMLIFrameElement)) return;
      frame.contentWindow.print = () => {
        const doc = frame.contentDocument;
        window.__printed.push({ title: doc.title, sheets: doc.adoptedStyleSheets.length, rules: doc.adoptedStyleSheets[0]?.cssRules.length ?? 0, font: getComputedStyle(doc.body).fontFamily });
      };
    }, true);
  });
  const agreement = page.locator('mentorkit-agreement');
  await agreement.getByRole('button', { name: /Review and sign/ }).click();
  await agreement.getByRole('button', { name: 'Print or save as PDF' }).click();
  const feedback = page.locator('mentorkit-feedback');
  await feedback.getByRole('radio', { name: '4', exact: true }).first().check();
  await feedback.getByRole('button', { name: 'Save' }).click();
  await feedback.getByRole('button', { name: 'Print a summary' }).click();
  await expect.poll(() => page.evaluate(() => window.__printed.length)).toBe(2);
  const printed = await page.evaluate(() => window.__printed);
  for (const p of printed) {
    expect(p.sheets, p.title).toBe(1);
    expect(p.rules, p.title).toBeGreaterThan(3);
    expect(p.font, 'the print style applies').toContain('Georgia');
  }
  expect(refused, 'nothing refused by the policy').toEqual([]);
});
