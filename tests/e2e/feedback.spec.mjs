// Session feedback end to end in Chromium: three sessions recorded by keyboard
// alone, then the history, its insights and exports; the private note never
// reaches the host or a shared copy.
import ICAL from 'ical.js';
import { test, expect, open, reload, alter, tabTo, focusedName, expectNoAxeViolations, allQuestions } from './helpers.mjs';

const PRIVATE = 'PRIVATE-5f2c: I felt nervous about money';

/** Records every mentorkit event's detail, as JSON, in `window.__events`. */
async function recordEvents(page) {
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ['mentorkit-change', 'mentorkit-submit', 'mentorkit-error']) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: JSON.stringify(e.detail) }));
    }
  });
}

async function typeDate(page, name, mmddyyyy) {
  await tabTo(page, name);
  await page.keyboard.type(mmddyyyy);
}

/** Picks option `steps` arrow presses after the first in the radio group `name`. */
async function choose(page, name, steps) {
  await tabTo(page, name);
  if (steps === 0) await page.keyboard.press('Space');
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedName(page)).toBe(name);
}

async function save(page, widget) {
  await tabTo(page, 'submit');
  await page.keyboard.press('Enter');
  await expect(widget.locator('.saved')).toBeFocused();
}

/** From the history back to the form, by keyboard: Shift+Tab to the tab list, then an arrow. */
async function newEntry(page, widget) {
  await tabTo(page, 'tab-history', 10, true);
  await page.keyboard.press('ArrowLeft');
  await expect(widget.getByRole('tab', { name: 'New entry' })).toHaveAttribute('aria-selected', 'true');
}

test('three sessions by keyboard alone, then the history tells their story', async ({ page }) => {
  await recordEvents(page);
  const errors = await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');

  // Session 1: cancelled by the mentor, with a new date. Who is answering is asked once.
  await choose(page, 'respondent', 0);
  await typeDate(page, 'date', '11012026');
  await choose(page, 'status', 2);
  await expect(widget.getByRole('radio', { name: 'Cancelled by the mentor' })).toBeChecked();
  await expect(widget.getByText('Overall, how useful was the session?')).toHaveCount(0);
  await tabTo(page, 'reason');
  await page.keyboard.type('My mentor was ill');
  await choose(page, 'rescheduled', 0);
  await typeDate(page, 'newDate', '11082026');
  await save(page, widget);
  await expect(widget.getByRole('tab', { name: 'History (1)' })).toHaveAttribute('aria-selected', 'true');

  // Session 2: held, rated 3, two action points, both notes.
  await newEntry(page, widget);
  await expect(widget.getByText('You are answering as the mentee.')).toBeVisible();
  await typeDate(page, 'date', '11082026');
  await choose(page, 'rating', 2);
  // Beyond the quick part: every question, which the widget then remembers.
  await tabTo(page, 'questions:all');
  await page.keyboard.press('Enter');
  expect(await focusedName(page)).toBe('duration');
  await choose(page, 'talking', 3);
  await tabTo(page, 'add:actions');
  await page.keyboard.press('Enter');
  expect(await focusedName(page)).toBe('action.1.what');
  await page.keyboard.type('Send two gallery contacts');
  await tabTo(page, 'add:actions');
  await page.keyboard.press('Enter');
  expect(await focusedName(page)).toBe('action.2.what');
  await page.keyboard.type('Draft the residency statement');
  await typeDate(page, 'action.2.due', '11302026');
  await tabTo(page, 'coordinator.note');
  await page.keyboard.type('All good so far');
  await tabTo(page, 'private.note');
  await page.keyboard.type(PRIVATE);
  await save(page, widget);

  // Session 3: held, rated 5, the first action point marked done.
  await newEntry(page, widget);
  await typeDate(page, 'date', '11152026');
  await choose(page, 'rating', 4);
  await choose(page, 'talking', 1);
  await expect(widget.getByRole('group', { name: /Send two gallery contacts/ })).toBeVisible();
  await choose(page, 'open.2.1', 1);
  await expect(widget.getByRole('radio', { name: 'Done' }).first()).toBeChecked();
  await save(page, widget);

  // The history: three entries, the open action point, the cancellation, the chart and its words.
  const history = widget.getByRole('tabpanel');
  await expect(widget.getByRole('tab', { name: 'History (3)' })).toBeVisible();
  const entries = history.locator('.entries summary');
  await expect(entries).toHaveText([/15, 2026 · A session · Yes, we met · rated 5 of 5/, /8, 2026 · A session · Yes, we met · rated 3 of 5/, /1, 2026 · A session · Cancelled by the mentor/]);
  const openActions = history.getByRole('region', { name: 'Open action points' });
  await expect(openActions.getByRole('listitem')).toHaveCount(1);
  await expect(openActions).toContainText('Draft the residency statement');
  await expect(history).toContainText('Did not take place: cancelled by the mentee 0, by the mentor 1');
  const chart = history.getByRole('img', { name: /Ratings over time/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator('circle')).toHaveCount(2);
  await expect(history.locator('figcaption').first()).toHaveText(/Ratings over time\. Oldest first: November 8, 2026: 3, November 15, 2026: 5\./);
  await expectNoAxeViolations(page, 'mentorkit-feedback');

  // An entry opens by keyboard to show its answers, the private note among them (this is the person's own device).
  await entries.nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(history.locator('details[open]')).toContainText(PRIVATE);

  // Nothing meant for the host carries the private note; submits carried each record.
  const events = await page.evaluate(() => window.__events);
  expect(events.filter((e) => e.name === 'mentorkit-submit')).toHaveLength(3);
  expect(events.length).toBeGreaterThan(3);
  for (const e of events) expect(e.detail).not.toContain('PRIVATE-5f2c');
  const value = await page.evaluate(() => JSON.stringify(document.querySelector('mentorkit-feedback').value));
  expect(value).not.toContain('PRIVATE-5f2c');
  expect(errors).toEqual([]);

  // The history survives a reload.
  await reload(page);
  await expect(widget.getByRole('tab', { name: 'History (3)' })).toBeVisible();
});

async function download(page, widget, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), widget.getByRole('button', { name }).click()]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

test('the next session agreed is offered as a one-meeting calendar file', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.getByRole('radio', { name: 'Mentee', exact: true }).check();
  await widget.getByRole('radio', { name: '4', exact: true }).first().check();
  const next = new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10);
  await widget.locator('input[name="nextDate"]').fill(next);
  await widget.getByRole('button', { name: 'Save' }).click();
  const region = widget.getByRole('region', { name: 'Next session' });
  await expect(region).toBeVisible();
  const ics = await download(page, region, 'Calendar (.ics)');
  expect(ics.name).toBe('mentoring-next-session.ics');
  const events = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(events.length).toBe(1);
  expect(events[0].startDate.isDate).toBe(true);
  expect(events[0].startDate.toString()).toBe(next);
  expect(events[0].summary).toBe('Mentoring: Mentee & Mentor');
  expect(events[0].component.getFirstPropertyValue('rrule')).toBeNull();
  const stampless = (text) => text.replace(/DTSTAMP:[^\r]*/, '');
  expect(stampless(await widget.evaluate((el) => el.export('ics')))).toBe(stampless(ics.text));
});

test('shared copies leave the notes out; the full copy keeps them', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.getByRole('radio', { name: 'Mentor', exact: true }).check();
  await widget.getByRole('radio', { name: '4', exact: true }).first().check();
  await allQuestions(widget);
  await widget.getByLabel('Private note').fill(PRIVATE);
  await widget.getByLabel('Note for the programme coordinator').fill('=cmd|calc');
  await widget.getByLabel('What went well?').fill('Talked, planned, laughed');
  await widget.getByRole('button', { name: 'Save' }).click();

  const sharedCsv = await download(page, widget, 'Shared copy (CSV)');
  expect(sharedCsv.name).toBe('mentoring-history-shared.csv');
  expect(sharedCsv.text).toContain('"Talked, planned, laughed"');
  expect(sharedCsv.text).not.toContain('PRIVATE-5f2c');
  expect(sharedCsv.text).not.toContain('cmd|calc');
  const sharedJson = await download(page, widget, 'Shared copy (JSON)');
  expect(JSON.parse(sharedJson.text).data[0].data.rating).toBe('4');
  expect(sharedJson.text).not.toContain('PRIVATE-5f2c');
  const fullCsv = await download(page, widget, 'My full copy (CSV)');
  expect(fullCsv.text).toContain(PRIVATE);
  expect(fullCsv.text).toContain(`"'=cmd|calc"`);
});

test('amending an entry keeps the earlier version', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.getByRole('radio', { name: 'Mentee', exact: true }).check();
  await widget.getByRole('radio', { name: '2', exact: true }).first().check();
  await widget.getByRole('button', { name: 'Save' }).click();
  await widget.locator('.entries summary').first().click();
  await widget.getByRole('button', { name: 'Amend' }).click();
  await expect(widget.getByText(/You are amending the entry of/)).toBeVisible();
  await widget.getByRole('radio', { name: '4', exact: true }).first().check();
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(widget.locator('.entries summary')).toHaveText([/rated 4 of 5 · version 2/]);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('mentorkit:harbourlight:feedback:records')).data);
  expect(stored.map((r) => [r.version, r.data.rating])).toEqual([[1, '2'], [2, '4']]);
});

test('a cancelled session asks why; goals come from the saved agreement; bad stored records are set aside', async ({ page }) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('mentorkit:harbourlight:agreement:draft', JSON.stringify({
      schema: 'mentorkit.agreement', version: 1, savedAt: 1, data: { goals: '2', 'goal.1.what': 'Build a portfolio site', 'goal.2.what': 'Apply for the residency', 'meet.cadence': '30-fortnightly', 'term.start': '2026-01-01' },
    }));
    localStorage.setItem('mentorkit:harbourlight:feedback:records', '{not json');
  });
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await expect(widget.getByRole('group', { name: 'Build a portfolio site' })).toBeVisible();
  await expect(widget.getByRole('group', { name: 'Apply for the residency' })).toBeVisible();
  await widget.getByRole('tab', { name: 'History' }).click();
  await expect(widget.getByText(/could not be read/)).toBeVisible();
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('feedback:records:set-aside')));
  expect(kept).toHaveLength(1);
});

test('a host can link the agreement as a property, before or after the widget starts', async ({ page }) => {
  await page.goto('/#feedback');
  await page.evaluate(() => {
    const el = document.createElement('mentorkit-feedback');
    el.setAttribute('namespace', 'linked');
    el.agreement = { goals: '1', 'goal.1.what': 'Finish the short film' };
    document.body.append(el);
  });
  const linked = page.locator('mentorkit-feedback[namespace=linked]');
  await expect(linked.getByRole('group', { name: 'Finish the short film' })).toBeVisible();
  await page.evaluate(() => { document.querySelector('mentorkit-feedback[namespace=linked]').agreement = { goals: '1', 'goal.1.what': 'Edit the trailer' }; });
  await expect(linked.getByRole('group', { name: 'Edit the trailer' })).toBeVisible();
  const error = page.evaluate(() => new Promise((resolve) => document.addEventListener('mentorkit-error', (e) => resolve(e.detail.code), { once: true })));
  await page.evaluate(() => { document.querySelector('mentorkit-feedback[namespace=linked]').agreement = { goals: 2 }; });
  expect(await error).toBe('agreement-invalid');
});

test('a long list of open action points shows the newest ten, and all of them on request', async ({ page }) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    const records = [];
    for (let i = 1; i <= 13; i++) {
      const date = `2026-0${1 + Math.floor(i / 4)}-${String(1 + (i % 4) * 7).padStart(2, '0')}`;
      records.push({ id: `open-${i}`, seq: i, version: 1, kind: 'session', created: `${date}T10:00:00Z`, submitted: `${date}T10:00:00Z`,
        data: { 'action.1.what': `Step ${i}`, actions: '1', date, kind: 'session', rating: '4', respondent: 'mentee', status: 'held' } });
    }
    localStorage.setItem('mentorkit:harbourlight:feedback:records', JSON.stringify({ schema: 'mentorkit.feedback-records', version: 1, savedAt: 1, data: records }));
  });
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  const listed = widget.getByRole('group', { name: /^Step \d+ · / });
  await expect(listed).toHaveCount(10);
  await expect(widget.getByRole('group', { name: /^Step 13 · / })).toBeVisible();
  await expect(widget.getByRole('group', { name: /^Step 1 · / })).toHaveCount(0);
  // The history's list of open action points is shortened the same way.
  await widget.getByRole('tab', { name: 'History (13)' }).click();
  await expect(widget.locator('ul.actions li')).toHaveCount(10);
  await expect(widget.getByRole('button', { name: 'Show 3 older action points' })).toBeVisible();
  await widget.getByRole('tab', { name: 'New entry' }).click();
  await expect(widget.getByRole('button', { name: 'Show 3 older action points' })).toBeVisible();
  await tabTo(page, 'all-open');
  await page.keyboard.press('Enter');
  await expect(listed).toHaveCount(13);
  expect(await focusedName(page)).toBe('open.1.1');
  await widget.getByRole('tab', { name: 'History (13)' }).click();
  await expect(widget.locator('ul.actions li')).toHaveCount(13);
});

test('the form comes first: the history is a module of its own, fetched once the form is on screen', async ({ page }) => {
  const asked = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) asked.push(r.url().split('/').pop()); });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/mentorkit_history_bg.wasm', async (route) => { await held; await route.continue(); });
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await expect.poll(() => asked.includes('mentorkit_history_bg.wasm')).toBe(true);
  expect(asked.indexOf('mentorkit_feedback_bg.wasm')).toBeLessThan(asked.indexOf('mentorkit_history_bg.wasm'));
  const settled = () => page.evaluate(() => Promise.race([document.querySelector('mentorkit-feedback').ready.then(() => 'ready'), new Promise((r) => setTimeout(() => r('waiting'), 300))]));
  expect(await settled(), 'ready waits for the history, so export() can answer').toBe('waiting');

  // The form works meanwhile, and what is saved is saved.
  await widget.getByRole('radio', { name: 'Mentee', exact: true }).check();
  await widget.getByRole('radio', { name: '4', exact: true }).first().check();
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(widget.locator('.saved')).toBeFocused();
  await expect(widget.getByRole('status').filter({ hasText: 'Loading the history…' })).toBeVisible();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('mentorkit:harbourlight:feedback:records')).data.length)).toBe(1);

  const sheets = () => page.evaluate(() => document.querySelector('mentorkit-feedback').shadowRoot.adoptedStyleSheets.length);
  expect(await sheets(), 'the history\'s own styles come with its module').toBe(1);
  release();
  await expect(widget.locator('.entries summary')).toHaveText([/rated 4 of 5/]);
  expect(await sheets()).toBe(2);
  await expect(widget.locator('ol.entries')).toHaveCSS('list-style-type', 'none');
  await expect(widget.getByText('Loading the history…')).toHaveCount(0);
  await expect(widget.locator('.saved')).toBeFocused();
  expect(await settled()).toBe('ready');
  expect(await page.evaluate(() => document.querySelector('mentorkit-feedback').export('csv'))).toContain('4');
});

test('"Draft saved" is said on the form, not over the history', async ({ page }) => {
  const errors = await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  const said = widget.getByText('Draft saved in this browser.');
  await widget.getByRole('radio', { name: 'Mentor', exact: true }).check();
  await expect(said).toBeVisible();
  await widget.getByRole('tab', { name: /^History/ }).click();
  await expect(widget.getByRole('tab', { name: /^History/ })).toHaveAttribute('aria-selected', 'true');
  await expect(said).toHaveCount(0);
  await widget.getByRole('tab', { name: 'New entry' }).click();
  await expect(said).toBeVisible();
  expect(errors).toEqual([]);
});

/** Opens the feedback form with its history missing, saves an entry, and sees both said. */
async function saveWithoutHistory(page) {
  const errors = await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await page.evaluate(() => document.querySelector('mentorkit-feedback').ready);
  await widget.getByRole('radio', { name: 'Mentor', exact: true }).check();
  await widget.getByRole('radio', { name: '3', exact: true }).first().check();
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(widget.getByRole('alert').filter({ hasText: 'The history could not be loaded' })).toBeVisible();
  await expect(widget.locator('.saved')).toBeVisible();
  return { errors, widget };
}

test('a history script altered on its way is refused by its hash: the history says so and the form still saves', async ({ page }) => {
  await alter(page, '**/pkg/mentorkit_history.js');
  const { errors } = await saveWithoutHistory(page);
  // The element that checked the script is gone from the host's page.
  expect(await page.evaluate(() => document.querySelectorAll('script[src*="mentorkit_history"]').length)).toBe(0);
  expect(errors).toEqual([]);
});

test('a history module altered on its way is refused by the hash its script carries', async ({ page }) => {
  await page.route('**/pkg/mentorkit_history_bg.wasm', async (route) => {
    const body = await (await route.fetch()).body();
    await route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.concat([body, Buffer.from([0, 1, 0])]) });
  });
  const { errors } = await saveWithoutHistory(page);
  expect(errors).toEqual([]);
});

test('without the history module the form still saves, and the history tab says what is missing', async ({ page }) => {
  await page.route('**/mentorkit_history_bg.wasm', (route) => route.abort());
  const { errors, widget } = await saveWithoutHistory(page);
  const code = await page.evaluate(() => { try { document.querySelector('mentorkit-feedback').export('csv'); return 'answered'; } catch (e) { return e.code; } });
  expect(code).toBe('history-unavailable');
  const memory = await page.evaluate(async () => (await import('/pkg/mentorkit-elements.js')).memoryBytes());
  expect(memory, 'memoryBytes() counts the modules that could be had').toBeGreaterThan(0);

  // Once the module can be had again, the entry is there.
  await page.unroute('**/mentorkit_history_bg.wasm');
  await reload(page);
  await widget.getByRole('tab', { name: 'History (1)' }).click();
  await expect(widget.locator('.entries summary')).toHaveText([/rated 3 of 5/]);
  expect(errors).toEqual([]);
});
