import { test, expect, open, reload, expectNoAxeViolations, tabTo } from './helpers.mjs';

test('the demo page shows the agreement first step inside an open shadow root', async ({ page }) => {
  const errors = await open(page);
  const agreement = page.locator('mentorkit-agreement');
  expect(await agreement.evaluate((el) => el.shadowRoot && el.shadowRoot.mode)).toBe('open');
  await expect(agreement.getByRole('heading', { name: 'Who this agreement is between' })).toBeVisible();
  for (const group of ['Mentee', 'Mentor']) {
    await expect(agreement.getByRole('group', { name: group }).getByRole('textbox', { name: 'Full name' })).toBeVisible();
  }
  await expect(agreement.getByRole('textbox', { name: 'Programme name' })).toBeVisible();
  await expect(page.locator('mentorkit-feedback').getByRole('radiogroup', { name: 'Did the session take place?' })
    .or(page.locator('mentorkit-feedback').getByRole('group', { name: 'Did the session take place?' }))).toBeVisible();
  expect(errors).toEqual([]);
});

test('the host page styles do not reach into the widget, and the widget styles do not leak out', async ({ page }) => {
  await open(page);
  const inside = await page.locator('mentorkit-agreement').evaluate((el) => {
    const input = el.shadowRoot.querySelector('input');
    const label = el.shadowRoot.querySelector('label');
    const base = el.shadowRoot.querySelector('[part=base]');
    const s = (e) => getComputedStyle(e);
    return {
      inputBorder: s(input).borderTopStyle,
      inputBackground: s(input).backgroundColor,
      labelTransform: s(label).textTransform,
      labelSpacing: s(label).letterSpacing,
      font: s(base).fontFamily,
      lineHeight: s(base).lineHeight,
      color: s(base).color,
    };
  });
  expect(inside.inputBorder).toBe('solid');
  expect(inside.inputBackground).not.toBe('rgb(255, 243, 224)');
  expect(inside.labelTransform).toBe('none');
  expect(inside.labelSpacing).toBe('normal');
  expect(inside.font).not.toContain('Palatino');
  expect(inside.lineHeight).toBe('24px');
  expect(inside.color).not.toBe('rgb(43, 33, 24)');
  const outside = await page.evaluate(() => ({
    h2: getComputedStyle(document.querySelector('main h2')).textTransform,
    styles: document.querySelectorAll('head style').length,
  }));
  expect(outside).toEqual({ h2: 'uppercase', styles: 0 });
});

test('by keyboard alone: type, the draft autosaves, and a reload restores it with a notice', async ({ page }) => {
  await open(page);
  await page.evaluate(() => localStorage.clear());
  await reload(page);
  await tabTo(page, 'mentee.name');
  await page.keyboard.type('Amara Okafor');
  await tabTo(page, 'mentor.name');
  await page.keyboard.type('Jonas Weber');
  const agreement = page.locator('mentorkit-agreement');
  await expect(agreement.getByText('Draft saved in this browser.')).toBeVisible();

  await reload(page);
  await expect(agreement.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' })).toHaveValue('Amara Okafor');
  await expect(agreement.getByRole('group', { name: 'Mentor' }).getByRole('textbox', { name: 'Full name' })).toHaveValue('Jonas Weber');
  const notice = agreement.getByRole('status').filter({ hasText: 'has been restored' });
  await expect(notice).toBeVisible();
  await tabTo(page, 'Dismiss');
  await page.keyboard.press('Enter');
  await expect(notice).toBeHidden();
});

test('nothing is saved until the person edits', async ({ page }) => {
  await open(page);
  await page.evaluate(() => localStorage.clear());
  await reload(page);
  await page.waitForTimeout(800);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':draft')))).toEqual([]);
});

test('a corrupt or newer stored draft gives a clear message, keeps the value aside, and the form still works', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('mentorkit:harbourlight:agreement:draft', 'garbage{');
    localStorage.setItem('mentorkit:harbourlight:feedback:draft',
      JSON.stringify({ schema: 'mentorkit.feedback', version: 99, savedAt: 1, data: {} }));
  });
  const codes = [];
  await page.exposeFunction('recordError', (code) => codes.push(code));
  await page.addInitScript(() => document.addEventListener('mentorkit-error', (e) => window.recordError(e.detail.code)));
  await reload(page);
  await expect(page.locator('mentorkit-agreement').getByText('could not be read')).toBeVisible();
  await expect(page.locator('mentorkit-feedback').getByText('newer version of this form')).toBeVisible();
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':set-aside:')).map((k) => localStorage.getItem(k)));
  expect(kept).toContain('garbage{');
  expect(codes.sort()).toEqual(['storage-corrupt', 'storage-newer-version']);
  await page.locator('mentorkit-agreement').getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' }).fill('Still works');
  await expect(page.locator('mentorkit-agreement').getByText('Draft saved in this browser.')).toBeVisible();
});

test('when the browser refuses storage the widget says so and keeps working', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  const errors = await open(page);
  await expect(page.locator('mentorkit-agreement').getByText('not letting the page save')).toBeVisible();
  const name = page.locator('mentorkit-agreement').getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' });
  await name.fill('Typed anyway');
  await expect(name).toHaveValue('Typed anyway');
  expect(errors).toEqual([]);
});

test('loading the script twice is harmless', async ({ page }) => {
  const errors = await open(page);
  await page.evaluate(async () => {
    await import('/pkg/mentorkit-elements.js?again');
    const el = document.createElement('mentorkit-agreement');
    el.setAttribute('namespace', 'second');
    document.body.append(el);
  });
  await page.waitForFunction(() => document.querySelectorAll('mentorkit-agreement')[1].shadowRoot.querySelector('input'));
  expect(await page.locator('mentorkit-agreement').count()).toBe(2);
  expect(errors).toEqual([]);
});

test('axe finds no violations in either widget', async ({ page }) => {
  await open(page);
  await expectNoAxeViolations(page, 'mentorkit-agreement');
  await expectNoAxeViolations(page, 'mentorkit-feedback');
});
