// Two minutes on a phone: the quick form of a held session by keyboard alone
// (its interactions counted and timed), scales on one row at 320 px, the
// steps on one line, text areas that grow, a host's sticky header, and each
// field's own direction in a right-to-left page.
import { test, expect, open, focusedName } from './helpers.mjs';

/** Presses Tab until the focused control is named `name`; returns how many presses it took. */
async function tabTo(page, name, limit = 40) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)) === name) return i;
  }
  throw new Error(`Tab never reached ${name}`);
}

test('the quick form of a held session, by keyboard alone: counted and timed', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await expect(widget.getByRole('button', { name: /^More questions \(\d+\)$/ })).toBeVisible();
  await expect(widget.getByLabel('What went well?')).toHaveCount(0);
  // One statement of the scale's ends serves the three pitfall questions.
  await expect(widget.locator('.ends.shared')).toHaveCount(1);

  const started = Date.now();
  let keys = 0;
  const press = async (key) => { keys += 1; await page.keyboard.press(key); };
  const type = async (text) => { keys += 1; await page.keyboard.type(text); };
  const to = async (name) => { keys += await tabTo(page, name); };

  await to('respondent');
  await press('Space'); // mentee
  await to('rating');
  await press('ArrowRight'); await press('ArrowRight'); await press('ArrowRight'); // 4
  for (const name of ['listened', 'structure', 'challenged']) {
    await to(name);
    await press('ArrowRight'); await press('ArrowRight'); await press('ArrowRight'); await press('ArrowRight'); // 5
  }
  await to('add:actions');
  await press('Enter');
  expect(await focusedName(page)).toBe('action.1.what');
  await type('Send the portfolio link');
  await to('nextDate');
  await type('12152026');
  await to('submit');
  await press('Enter');
  await expect(widget.locator('.saved')).toBeFocused();
  const seconds = (Date.now() - started) / 1000;
  console.log(`quick form of a held session by keyboard: ${keys} interactions, ${seconds.toFixed(1)} s in the test browser`);
  expect(keys).toBeLessThanOrEqual(50);

  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('mentorkit:harbourlight:feedback:records')).data.at(-1).data);
  expect([stored.status, stored.rating, stored.listened, stored.structure, stored.challenged, stored['action.1.what'], stored.nextDate])
    .toEqual(['held', '4', '5', '5', '5', 'Send the portfolio link', '2026-12-15']);
});

test('"More questions" shows every question, focuses the first, and is remembered', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.getByRole('button', { name: /^More questions/ }).click();
  expect(await focusedName(page)).toBe('duration');
  await expect(widget.getByLabel('What went well?')).toBeVisible();
  await page.reload();
  await expect(widget.getByLabel('What went well?')).toBeVisible();
  await widget.getByRole('button', { name: 'Only the quick questions' }).click();
  await expect(widget.getByLabel('What went well?')).toHaveCount(0);
  // What is typed is never hidden.
  await widget.getByRole('button', { name: /^More questions/ }).click();
  await widget.getByLabel('What went well?').fill('We laughed a lot');
  await widget.getByRole('button', { name: 'Only the quick questions' }).click();
  await expect(widget.getByLabel('What went well?')).toHaveValue('We laughed a lot');
});

test('at 320 px every scale keeps its five options on one row, inside the widget', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.getByRole('button', { name: /^More questions/ }).click();
  const scales = widget.locator('fieldset.scale');
  expect(await scales.count()).toBeGreaterThanOrEqual(5);
  const base = await widget.locator('[part~=base]').boundingBox();
  for (let i = 0; i < await scales.count(); i++) {
    const boxes = await scales.nth(i).locator('label.option').evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().toJSON()));
    expect(boxes).toHaveLength(5);
    expect(new Set(boxes.map((b) => Math.round(b.top))).size, 'one row').toBe(1);
    for (const b of boxes) expect(b.right).toBeLessThanOrEqual(base.x + base.width + 0.5);
  }
});

test('on a phone the steps take one line, open to jump, and a sticky header never hides a problem', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/#agreement');
  const widget = page.locator('mentorkit-agreement');
  const nav = widget.getByRole('navigation', { name: 'Steps' });
  const height = (await nav.boundingBox()).height;
  console.log(`step navigation on a 390 px phone: ${height} px high`);
  expect(height).toBeLessThan(80);
  await expect(nav.getByRole('button', { name: '3. Goals' })).toBeHidden();
  await nav.locator('summary').click();
  await nav.getByRole('button', { name: '3. Goals' }).click();
  await expect(widget.getByRole('heading', { name: 'Goals', level: 3 })).toBeFocused();
  await expect(nav.locator('summary')).toContainText('Step 3 of 12: Goals');

  // The page's header is sticky and 120 px high; the widget is told so.
  await page.evaluate(() => {
    const header = document.querySelector('.site-header');
    header.style.cssText = 'position:sticky;top:0;height:120px;z-index:5';
    document.querySelector('mentorkit-agreement').style.setProperty('--mentorkit-scroll-margin', '130px');
  });
  await nav.locator('summary').click();
  await nav.getByRole('button', { name: '1. Who this agreement is between' }).click();
  await page.mouse.wheel(0, 2000);
  await widget.getByRole('button', { name: 'Next' }).click();
  const field = widget.getByRole('textbox', { name: /Full name/ }).first();
  await expect(field).toBeFocused();
  expect((await field.boundingBox()).y, 'below the sticky header').toBeGreaterThanOrEqual(120);
});

test('a text area grows with what is typed, and in Arabic a phone number keeps its own direction', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.getByRole('button', { name: /^More questions/ }).click();
  const area = widget.getByLabel('What went well?');
  const before = (await area.boundingBox()).height;
  await area.fill(Array.from({ length: 12 }, (_, i) => `Line ${i + 1}`).join('\n'));
  expect((await area.boundingBox()).height).toBeGreaterThan(before * 1.5);

  await page.locator('mentorkit-agreement').evaluate((el) => el.setAttribute('locale', 'ar'));
  const agreement = page.locator('mentorkit-agreement');
  await expect(agreement.locator('[part~=base]')).toHaveAttribute('dir', 'rtl');
  const contact = agreement.locator('input[name="mentee.contact"]');
  await contact.fill('+44 7700 900123');
  expect(await contact.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
  const name = agreement.locator('input[name="mentee.name"]');
  await name.fill('أمارا');
  expect(await name.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
});

test('in Arabic the charts are mirrored: levels beside the plot on the right, no date cut off', async ({ page }) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    const records = [];
    for (let i = 1; i <= 6; i++) {
      const date = `2026-0${i}-15`;
      records.push({ id: `rtl-${i}`, seq: i, version: 1, kind: 'session', created: `${date}T10:00:00Z`, submitted: `${date}T10:00:00Z`,
        data: { date, kind: 'session', rating: String(1 + (i % 5)), respondent: 'mentee', status: 'held' } });
    }
    localStorage.setItem('mentorkit:harbourlight:feedback:records', JSON.stringify({ schema: 'mentorkit.feedback-records', version: 1, savedAt: 1, data: records }));
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.evaluate((el) => el.setAttribute('locale', 'ar'));
  await expect(widget.locator('[part~=base]')).toHaveAttribute('dir', 'rtl');
  await widget.getByRole('tab').nth(1).click();
  const svg = widget.locator('figure svg').first();
  await expect(svg).toBeVisible();
  const box = await svg.evaluate((svg) => {
    const rect = (el) => el.getBoundingClientRect();
    const lines = [...svg.querySelectorAll('.grid line')].map(rect);
    return {
      svg: rect(svg),
      plot: { left: Math.min(...lines.map((l) => l.left)), right: Math.max(...lines.map((l) => l.right)) },
      levels: [...svg.querySelectorAll('.levels text')].map(rect),
      dates: [...svg.querySelectorAll('.dates text')].map(rect),
      dots: [...svg.querySelectorAll('.dots circle')].map((c) => rect(c).left),
    };
  });
  expect(box.levels.length).toBeGreaterThan(0);
  for (const level of box.levels) expect(level.left, 'a level label starts right of the plot').toBeGreaterThanOrEqual(box.plot.right - 1);
  expect(box.dates).toHaveLength(2);
  for (const date of box.dates) {
    expect(date.left, 'no date cut off on the left').toBeGreaterThanOrEqual(box.svg.left - 1);
    expect(date.right, 'no date cut off on the right').toBeLessThanOrEqual(box.svg.right + 1);
  }
  expect(box.dots[0], 'the oldest session on the right').toBeGreaterThan(box.dots.at(-1));
});

test('on a phone a value the programme set shows whole, wrapped in its box, not cut off', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '/');
  const widget = page.locator('mentorkit-agreement');
  for (const label of ['Programme name', 'Programme contact']) {
    const field = widget.getByLabel(label, { exact: true });
    await expect(field).not.toBeEditable();
    await expect(field).toHaveValue(/\S/);
    expect(await field.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1), `all of "${label}" shows`).toBe(true);
  }
  await expect(widget.getByLabel('Programme name', { exact: true })).toHaveValue('Harbourlight Arts: Creative Careers Mentoring');
});

