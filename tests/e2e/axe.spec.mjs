// axe on both widgets in every variant a person may meet them in: desktop and
// phone, dark, forced colours, reduced motion, Arabic, a submit with nothing
// filled in, and halfway through (a later step, every question, the history).
import { test, expect, drawn, expectNoAxeViolations, allQuestions } from './helpers.mjs';

const TAGS = ['mentorkit-agreement', 'mentorkit-feedback'];

/** Both widgets, alone on a page of the docs, in a namespace of their own. */
async function mount(page, { locale = 'en', width = 1280, height = 800, media = {}, pageScheme = 'light' } = {}) {
  await page.setViewportSize({ width, height });
  await page.emulateMedia(media);
  await page.goto('/docs/js-api.html');
  await page.evaluate(async ({ locale, pageScheme, ns }) => {
    document.documentElement.style.colorScheme = pageScheme;
    const main = document.querySelector('main');
    main.replaceChildren();
    for (const tag of ['mentorkit-agreement', 'mentorkit-feedback']) {
      const el = document.createElement(tag);
      el.setAttribute('namespace', ns);
      el.setAttribute('locale', locale);
      main.append(el);
      await el.ready;
    }
  }, { locale, pageScheme, ns: `axe-${Math.random().toString(36).slice(2)}` });
  await drawn(page);
}

async function bothClean(page) {
  for (const tag of TAGS) await expectNoAxeViolations(page, tag);
}

const VARIANTS = {
  desktop: {},
  phone: { width: 390, height: 844 },
  'phone at 320 px': { width: 320, height: 700 },
  dark: { media: { colorScheme: 'dark' }, pageScheme: 'light dark' },
  'forced colours': { media: { forcedColors: 'active' } },
  'reduced motion': { media: { reducedMotion: 'reduce' } },
  Arabic: { locale: 'ar' },
  'Arabic on a phone, dark': { locale: 'ar', width: 390, height: 844, media: { colorScheme: 'dark' }, pageScheme: 'light dark' },
};

for (const [name, variant] of Object.entries(VARIANTS)) {
  test(`axe finds nothing in either widget: ${name}`, async ({ page }) => {
    await mount(page, variant);
    await bothClean(page);
  });
}

test('axe finds nothing after a submit with nothing filled in', async ({ page }) => {
  for (const variant of [VARIANTS.desktop, VARIANTS.phone]) {
    await mount(page, variant);
    const agreement = page.locator('mentorkit-agreement');
    await agreement.getByRole('button', { name: 'Next' }).click();
    await expect(agreement.locator('[aria-invalid=true]').first()).toBeVisible();
    const feedback = page.locator('mentorkit-feedback');
    await feedback.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(feedback.locator('[aria-invalid=true]').first()).toBeVisible();
    await bothClean(page);
  }
});

test('axe finds nothing halfway through: a later step, the step menu, every question and the history', async ({ page }) => {
  await mount(page, VARIANTS.phone);
  const agreement = page.locator('mentorkit-agreement');
  await agreement.getByRole('textbox', { name: /Full name/ }).first().fill('Amara Okafor');
  await agreement.getByRole('textbox', { name: /Email or phone/ }).first().fill('amara@example.org');
  await agreement.getByRole('textbox', { name: /Full name/ }).nth(1).fill('Ben Hale');
  await agreement.locator('summary[part~=step-menu]').click();
  await bothClean(page);
  await agreement.getByRole('button', { name: /^4\. / }).click();
  await expect(agreement.getByRole('heading', { level: 3 })).toBeFocused();

  const feedback = page.locator('mentorkit-feedback');
  await feedback.getByRole('radio', { name: 'Mentee', exact: true }).check();
  await feedback.getByRole('radio', { name: '4', exact: true }).first().check();
  await allQuestions(feedback);
  await feedback.getByRole('button', { name: 'Add an action point' }).click();
  await feedback.getByLabel('What will be done?').fill('Send the portfolio link');
  await bothClean(page);
  await feedback.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(feedback.locator('.saved')).toBeVisible();
  await feedback.getByRole('tab', { name: 'History' }).click();
  await expect(feedback.getByRole('tabpanel')).toBeVisible();
  await bothClean(page);
});
