import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { test, expect, open, reload, expectNoAxeViolations, tabTo } from './helpers.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Where keyboard focus is, looking through shadow roots. */
async function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el ? (el.getAttribute('name') || el.id || el.textContent.trim()) : null;
  });
}

async function pressNext(page) {
  await tabTo(page, 'Next', 80);
  await page.keyboard.press('Enter');
}

async function freshPage(page) {
  await open(page);
  await page.evaluate(() => localStorage.clear());
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ['mentorkit-submit', 'mentorkit-change', 'mentorkit-error']) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail }));
    }
  });
  await reload(page);
}

test('by keyboard alone: fill every step, sign twice, submit, and find it all after a reload', async ({ page }) => {
  const alerts = [];
  page.on('dialog', (d) => { alerts.push(d.message()); d.dismiss(); });
  await freshPage(page);
  const widget = page.locator('mentorkit-agreement');

  // Step 1: parties. Next with nothing filled in shows the problems and focuses the first.
  await tabTo(page, 'mentee.name');
  await page.keyboard.press('Enter');
  expect(await focused(page)).toBe('mentee.name');
  await expect(widget.getByText('Please fill this in.').first()).toBeVisible();
  await expect(widget.getByRole('textbox', { name: /Full name/ }).first()).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.type(HOSTILE);
  await page.keyboard.press('Tab');
  await page.keyboard.type('amara@example.org');
  await tabTo(page, 'mentor.name');
  await page.keyboard.type('Jonas Weber');
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('heading', { name: 'What this mentoring is for' })).toBeFocused();

  // Purpose.
  await tabTo(page, 'purpose.text');
  await page.keyboard.type('Find my feet as a freelance set designer, one step at a time; with help.');
  await pressNext(page);

  // Goals: two goals, one removed again.
  await tabTo(page, 'goal.1.what');
  await page.keyboard.type('Build a portfolio site');
  await tabTo(page, 'add:goals');
  await page.keyboard.press('Enter');
  expect(await focused(page)).toBe('goal.2.what');
  await page.keyboard.type('Apply for the spring residency');
  await pressNext(page);

  // Expectations, meetings, contact, confidentiality, boundaries keep their defaults.
  for (const heading of ['What we expect of each other', 'Meetings', 'Between meetings, and cancelling', 'Confidentiality', 'Boundaries']) {
    await expect(widget.getByRole('heading', { name: heading, exact: true })).toBeFocused();
    if (heading === 'Meetings') {
      await tabTo(page, 'meet.time');
      await page.keyboard.type('0630P');
    }
    await pressNext(page);
  }

  // Term: a start date typed into the date field, and a review date.
  await tabTo(page, 'term.start');
  await page.keyboard.type('12012026');
  await tabTo(page, 'review.1');
  await page.keyboard.type('03012027');
  await pressNext(page);
  await pressNext(page); // ending, problems, records: defaults

  // Programme clauses: the required one is accepted with the space bar.
  await expect(widget.getByRole('heading', { name: 'Programme clauses' })).toBeFocused();
  await tabTo(page, 'clause.work-in-progress');
  await page.keyboard.press('Space');
  await pressNext(page);

  // Review: the preview shows the agreement as a document.
  await expect(widget.getByRole('heading', { name: 'Review and sign' })).toBeFocused();
  await expect(widget.getByText('Everything needed is filled in.')).toBeVisible();
  const preview = widget.getByRole('article', { name: 'Preview of the agreement' });
  await expect(preview).toContainText(`Between ${HOSTILE} (mentee) and Jonas Weber (mentor)`);
  await expect(preview).toContainText('Apply for the spring residency');
  await expect(preview).toContainText('Sharing work in progress');

  // A wrong name is refused, with the reason.
  await tabTo(page, 'sign.mentee.typed');
  await page.keyboard.type('Somebody Else');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await tabTo(page, 'Sign');
  await page.keyboard.press('Enter');
  await expect(widget.getByText('The name must match the one in the agreement')).toBeVisible();
  expect(await focused(page)).toBe('sign.mentee.typed');
  expect(await page.evaluate(() => document.querySelector('mentorkit-agreement').shadowRoot
    .querySelector('[name="sign.mentee.typed"]').value)).toBe('Somebody Else');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(HOSTILE);
  await tabTo(page, 'Sign');
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('group', { name: 'Signature: Mentee' }).getByText(`Signed by ${HOSTILE} on`)).toBeVisible();

  // Typed in lower case, the name signs as it is written in the agreement.
  await tabTo(page, 'sign.mentor.typed');
  await page.keyboard.type('jonas weber');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await tabTo(page, 'Sign');
  await page.keyboard.press('Enter');
  await expect(widget.getByText('Signed by everyone.')).toBeVisible();
  await expect(widget.getByRole('group', { name: 'Signature: Mentor' }).getByText('Signed by Jonas Weber on')).toBeVisible();
  await expect(widget.getByRole('article')).not.toContainText('jonas weber');

  const submits = await page.evaluate(() => window.__events.filter((e) => e.name === 'mentorkit-submit'));
  expect(submits).toHaveLength(1);
  expect(submits[0].detail.schema).toBe('mentorkit.agreement');
  expect(submits[0].detail.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(submits[0].detail.data['mentee.name']).toBe(HOSTILE);
  expect(submits[0].detail.data['goal.2.what']).toBe('Apply for the spring residency');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':signed:')).length)).toBe(1);

  // Reload: everything is still there, signatures included.
  await reload(page);
  await expect(widget.getByText('has been restored')).toBeVisible();
  await widget.getByRole('button', { name: /Review and sign/ }).focus();
  await page.keyboard.press('Enter');
  await expect(widget.getByText('Signed by everyone.')).toBeVisible();
  await expect(widget.getByRole('article')).toContainText('Apply for the spring residency');

  // Signed by both, it is settled: shown as signed, and nothing in it changes.
  await widget.getByRole('button', { name: /What this mentoring is for/ }).focus();
  await page.keyboard.press('Enter');
  await expect(widget.getByText('this is version 1, and it is settled')).toBeVisible();
  await expect(widget.locator('[name="purpose.text"]')).toBeDisabled();
  await expectNoAxeViolations(page, 'mentorkit-agreement');

  // Amended: version 1 stays kept; what changed is shown; both sign again.
  await tabTo(page, 'Amend the agreement');
  await page.keyboard.press('Enter');
  await expect(widget.getByText('You are amending version 1.')).toBeVisible();
  await tabTo(page, 'purpose.text');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' And more.');
  await reload(page);
  await widget.getByRole('button', { name: /Review and sign/ }).focus();
  await page.keyboard.press('Enter');
  const changes = widget.getByRole('region', { name: 'What changed since version 1' });
  await expect(changes).toContainText(/Now: .*And more\./);
  await expect(widget.getByText('Signed by everyone.')).toBeHidden();
  await expectNoAxeViolations(page, 'mentorkit-agreement');
  for (const [party, name] of [['mentee', HOSTILE], ['mentor', 'Jonas Weber']]) {
    await tabTo(page, `sign.${party}.typed`);
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await tabTo(page, 'Sign');
    await page.keyboard.press('Enter');
  }
  await expect(widget.getByText('Signed by everyone.')).toBeVisible();
  await expect(widget.getByText('this is version 2, and it is settled')).toBeVisible();
  await expect(changes).toHaveCount(0);
  const versions = await page.evaluate(() => window.__events.filter((e) => e.name === 'mentorkit-submit').map((e) => e.detail));
  expect(versions).toHaveLength(1);
  expect(versions[0].fingerprint).not.toBe(submits[0].detail.fingerprint);
  expect(versions[0].data['purpose.text']).toMatch(/And more\.$/);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':signed:')).map((k) => k.split(':signed:')[1]));
  expect(kept.sort()).toEqual([submits[0].detail.fingerprint, versions[0].fingerprint].sort());

  expect(alerts).toEqual([]);
  await expectNoAxeViolations(page, 'mentorkit-agreement');
});

/** Fills the agreement through its data file, the way a partner's file arrives. */
async function importDraft(page, data) {
  const file = JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data });
  const widget = page.locator('mentorkit-agreement');
  await widget.getByRole('button', { name: /Review and sign/ }).click();
  const chooser = page.waitForEvent('filechooser');
  await widget.getByRole('button', { name: 'Open a draft file' }).click();
  await (await chooser).setFiles({ name: 'from-partner.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(widget.getByText('Opened the draft from from-partner.json')).toBeVisible();
}

const DRAFT = {
  'mentee.name': 'Amara Okafor', 'mentee.contact': 'amara@example.org', 'mentor.name': 'Jonas Weber',
  'purpose.text': 'Find my feet.', 'goal.1.what': 'Portfolio', 'goals': '1', 'meet.cadence': '30-fortnightly',
  'meet.first': '2026-12-03', 'meet.time': '18:30', 'term.start': '2026-12-01', 'term.length': '6',
  'review.1': '2027-02-15', 'review.2': '2027-04-15', 'clause.work-in-progress': 'yes',
  'confidentiality.text': 'Private.', 'confidentiality.limits': 'Harm is reported.', 'ending.text': 'Either may end it.',
  'expect.mentee': 'Lead.', 'expect.mentor': 'Listen.',
};

test('a partner on a new device finds "Open a draft file" on the first step', async ({ page }) => {
  await freshPage(page);
  const widget = page.locator('mentorkit-agreement');
  await expect(widget.getByRole('heading', { level: 3 })).toHaveText('Who this agreement is between');
  const open = widget.getByRole('button', { name: 'Open a draft file' });
  await expect(open).toHaveCount(1);
  await expect(open).toBeVisible();
  const file = JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data: DRAFT });
  const chooser = page.waitForEvent('filechooser');
  await open.click();
  await (await chooser).setFiles({ name: 'from-partner.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(widget.getByText('Opened the draft from from-partner.json')).toBeVisible();
  // The draft opens on the review, where Open sits beside saving a file, once.
  await expect(widget.getByRole('heading', { level: 3 })).toHaveText(/Review/);
  await expect(widget.getByRole('article')).toContainText('Amara Okafor');
  await expect(widget.getByRole('button', { name: 'Open a draft file' })).toHaveCount(1);
});

test('a draft file from the other person opens for review, and the calendar parses with ical.js', async ({ page }) => {
  await freshPage(page);
  await importDraft(page, { ...DRAFT, 'meet.remind': '60', 'meet.agendaDays': '2' });
  const widget = page.locator('mentorkit-agreement');
  await expect(widget.getByRole('article')).toContainText('Amara Okafor');

  const download = page.waitForEvent('download');
  await widget.getByRole('button', { name: 'Calendar (.ics)' }).click();
  const ics = readFileSync(await (await download).path(), 'utf8');
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const meetings = events.find((e) => e.isRecurring());
  const rule = meetings.component.getFirstPropertyValue('rrule');
  expect(rule.freq).toBe('WEEKLY');
  expect(rule.interval).toBe(2);
  expect(rule.until.toString()).toBe('2027-06-01T23:59:59');
  expect(meetings.startDate.toString()).toBe('2026-12-03T18:30:00');
  expect(meetings.duration.toSeconds()).toBe(30 * 60);
  const allDay = events.filter((e) => !e.isRecurring()).map((e) => [e.startDate.toString(), e.summary]);
  expect(allDay).toEqual([
    ['2027-02-15', 'Mentoring review: Amara Okafor & Jonas Weber'],
    ['2027-04-15', 'Mentoring review: Amara Okafor & Jonas Weber'],
    ['2027-06-01', 'Mentoring agreement ends: Amara Okafor & Jonas Weber'],
  ]);

  // Reminders follow the agreement: before each meeting as the pair chose, the agenda's day, the
  // feedback after each meeting linking back to this page, and a week before each review and the end.
  const alarms = (event) => event.component.getAllSubcomponents('valarm').map((a) => ({
    action: a.getFirstPropertyValue('action'),
    trigger: a.getFirstPropertyValue('trigger').toString(),
    related: a.getFirstProperty('trigger').getParameter('related') || 'START',
    text: a.getFirstPropertyValue('description'),
  }));
  const page_ = new URL(page.url());
  const here = `${page_.origin}${page_.pathname}`;
  expect(meetings.component.getFirstPropertyValue('url')).toBe(here);
  expect(alarms(meetings)).toEqual([
    { action: 'DISPLAY', trigger: '-PT60M', related: 'START', text: 'Mentoring meeting coming up: Amara Okafor & Jonas Weber' },
    { action: 'DISPLAY', trigger: '-P2D', related: 'START', text: 'Time to send the agenda for the next mentoring meeting (Amara Okafor & Jonas Weber).' },
    { action: 'DISPLAY', trigger: 'PT10M', related: 'END', text: `How did it go? Fill in the feedback on this session: ${here}` },
  ]);
  for (const e of events.filter((x) => !x.isRecurring())) {
    expect(alarms(e)).toEqual([{ action: 'DISPLAY', trigger: '-P6DT15H', related: 'START', text: `In a week: ${e.summary}` }]);
  }

  // The pair's own choice: a day before, and no reminder at all.
  await widget.getByRole('button', { name: /Meetings/ }).first().click();
  await widget.getByRole('radio', { name: 'A day before' }).check();
  await widget.getByRole('button', { name: /Review and sign/ }).first().click();
  const again = page.waitForEvent('download');
  await widget.getByRole('button', { name: 'Calendar (.ics)' }).click();
  const dayBefore = new ICAL.Component(ICAL.parse(readFileSync(await (await again).path(), 'utf8')));
  const first = dayBefore.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)).find((e) => e.isRecurring());
  expect(alarms(first)[0].trigger).toBe('-PT1440M');
});

test('every export escapes text for its format', async ({ page }) => {
  await freshPage(page);
  await importDraft(page, { ...DRAFT, 'mentee.name': HOSTILE, 'purpose.text': 'a, b; c\nnext line' });
  const widget = page.locator('mentorkit-agreement');
  const grab = async (name) => {
    const download = page.waitForEvent('download');
    await widget.getByRole('button', { name }).click();
    const d = await download;
    return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
  };
  const md = await grab('Markdown');
  expect(md.name).toBe('mentoring-agreement-img-src-x-onerror-alert-1.md');
  expect(md.text).toContain('\\<img src=x onerror=alert(1)\\>');
  const html = await grab('Web page');
  expect(html.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html.text).not.toContain('<img');
  // The document reads as sentences, with its end date and lines to sign on paper.
  expect(html.text).toContain('We will meet for 30 minutes every 2 weeks');
  expect(html.text).toMatch(/The mentoring runs from .+ to .+2027/);
  expect(html.text).not.toContain('?</span>');
  expect(html.text.match(/<p class="sign">Signature \((Mentee|Mentor)\): _+ {3}Date: _+<\/p>/g)).toHaveLength(2);
  await expect(widget.getByRole('article').getByText('Signature (Mentee)')).toBeHidden();
  const json = await grab('Save draft as a file');
  expect(JSON.parse(json.text).data['mentee.name']).toBe(HOSTILE);
  const ics = await grab('Calendar (.ics)');
  expect(ics.text).toContain('SUMMARY:Mentoring: <img src=x onerror=alert(1)> & Jonas Weber');
  // The page did not run the hostile markup anywhere.
  expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
});

test('a bad programme configuration is shown in the widget and fired as an event', async ({ page }) => {
  await open(page);
  const detail = await page.evaluate(() => new Promise((resolve) => {
    const el = document.createElement('mentorkit-agreement');
    el.setAttribute('namespace', 'bad-config');
    el.addEventListener('mentorkit-error', (e) => resolve(e.detail));
    el.programme = { defaults: { 'meet.cadence': 'weekly' } };
    document.body.append(el);
  }));
  expect(detail.code).toBe('config-invalid');
  expect(detail.message).toContain('defaults.meet.cadence');
  await expect(page.locator('mentorkit-agreement[namespace=bad-config]').getByRole('alert')).toContainText('"weekly" is not one of');
});

test('start over asks first, then clears the draft', async ({ page }) => {
  await freshPage(page);
  const widget = page.locator('mentorkit-agreement');
  const name = widget.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: /Full name/ });
  await name.fill('Amara Okafor');
  await widget.getByRole('button', { name: 'Start over' }).click();
  await expect(widget.getByRole('button', { name: 'Keep my draft' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(name).toHaveValue('Amara Okafor');
  await widget.getByRole('button', { name: 'Start over' }).click();
  await widget.getByRole('button', { name: 'Clear and start over' }).click();
  await expect(name).toHaveValue('');
  await expect(widget.getByRole('textbox', { name: 'Programme name' })).toHaveValue('Harbourlight Arts: Creative Careers Mentoring');
});

test('axe finds nothing on a step showing problems', async ({ page }) => {
  await freshPage(page);
  const widget = page.locator('mentorkit-agreement');
  await widget.getByRole('button', { name: 'Next' }).click();
  await expect(widget.getByText('Some answers need another look')).toBeVisible();
  await expectNoAxeViolations(page, 'mentorkit-agreement');
});

test('the live preview under each step follows what is typed', async ({ page }) => {
  await freshPage(page);
  const widget = page.locator('mentorkit-agreement');
  await widget.getByRole('button', { name: /What this mentoring is for/ }).click();
  await widget.getByText('Preview of the agreement').click();
  const preview = widget.getByRole('article', { name: 'Preview of the agreement' });
  await expect(preview).toContainText('Harbourlight Arts: Creative Careers Mentoring');
  await widget.getByRole('textbox', { name: /Purpose/ }).fill('To find my feet as a set designer.');
  await expect(preview).toContainText('To find my feet as a set designer.');
  await widget.getByRole('button', { name: /Goals/ }).click();
  await expect(widget.getByRole('article', { name: 'Preview of the agreement' })).toBeVisible();
});

test('a problem listed on the review step leads to its field', async ({ page }) => {
  await freshPage(page);
  const widget = page.locator('mentorkit-agreement');
  await widget.getByRole('button', { name: /Review and sign/ }).click();
  await expect(widget.getByText(/answers need another look before you can sign/)).toBeVisible();
  await widget.getByRole('button', { name: 'Goal 1 – What do you want to achieve?: Please fill this in.' }).click();
  await expect(widget.getByRole('heading', { name: 'Goals', exact: true })).toBeVisible();
  const what = widget.getByRole('textbox', { name: /What do you want to achieve/ });
  await expect(what).toBeFocused();
  await expect(what).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.type('Portfolio site');
  await expect(what).not.toHaveAttribute('aria-invalid', 'true');
});

test('the first step comes first: the document is a module of its own, fetched once the builder is on screen', async ({ page }) => {
  const asked = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) asked.push(r.url().split('/').pop()); });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/mentorkit_document_bg.wasm', async (route) => { await held; await route.continue(); });
  await open(page);
  const widget = page.locator('mentorkit-agreement');
  await expect.poll(() => asked.includes('mentorkit_document_bg.wasm')).toBe(true);
  expect(asked.indexOf('mentorkit_agreement_bg.wasm')).toBeLessThan(asked.indexOf('mentorkit_document_bg.wasm'));
  const settled = () => page.evaluate(() => Promise.race([document.querySelector('mentorkit-agreement').ready.then(() => 'ready'), new Promise((r) => setTimeout(() => r('waiting'), 300))]));
  expect(await settled(), 'ready waits for the document, so export() can answer').toBe('waiting');

  // Typing goes on meanwhile; the preview says the document is on its way.
  await widget.getByRole('button', { name: /What this mentoring is for/ }).click();
  await widget.getByRole('textbox', { name: /Purpose/ }).fill('To find my feet as a set designer.');
  await widget.getByText('Preview of the agreement').click();
  const preview = widget.getByRole('article', { name: 'Preview of the agreement' });
  await expect(preview.getByRole('status')).toHaveText('Loading the document…');
  expect(await page.evaluate(() => document.querySelector('mentorkit-agreement').value['purpose.text'])).toBe('To find my feet as a set designer.');

  release();
  await expect(preview).toContainText('To find my feet as a set designer.');
  await expect(preview.getByRole('status')).toHaveCount(0);
  expect(await settled()).toBe('ready');
  expect(await page.evaluate(() => document.querySelector('mentorkit-agreement').export('md'))).toContain('To find my feet as a set designer.');
});

test('without the document module the builder still keeps every answer, and says what is missing', async ({ page }) => {
  await freshPage(page);
  await page.route('**/mentorkit_document_bg.wasm', (route) => route.abort());
  await page.reload();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const widget = page.locator('mentorkit-agreement');
  await page.evaluate(() => document.querySelector('mentorkit-agreement').ready);
  await widget.getByRole('textbox', { name: 'Full name' }).first().fill('Amara Okafor');
  await widget.getByRole('button', { name: /Review and sign/ }).click();
  await expect(widget.getByRole('article', { name: 'Preview of the agreement' }).getByRole('alert')).toContainText('The document could not be loaded');
  const codes = await page.evaluate(() => {
    const el = document.querySelector('mentorkit-agreement');
    const code = (format) => { try { return el.export(format).slice(0, 1); } catch (e) { return e.code; } };
    return [code('md'), code('json')];
  });
  expect(codes).toEqual(['document-unavailable', '{']);
  // The helper says so too, and the draft is kept.
  const helper = await page.evaluate(async () => {
    const { renderAgreement } = await import(document.querySelector('script[type=module][src*="mentorkit-elements"]').src);
    try { await renderAgreement({ 'mentee.name': 'A' }, 'md'); return 'answered'; } catch (e) { return e.code || 'failed'; }
  });
  expect(helper).toBe('wasm-load-failed');
  await page.unroute('**/mentorkit_document_bg.wasm');
  await reload(page);
  await widget.getByRole('button', { name: /Review and sign/ }).click();
  await expect(widget.getByRole('article', { name: 'Preview of the agreement' })).toContainText('Amara Okafor');
  expect(errors).toEqual([]);
});
