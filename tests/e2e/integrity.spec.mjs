// Nothing a person types is lost and no input stops a widget: several tabs on
// one namespace, storage full before and while typing, a stored value too big
// to set aside, fields that used to be dropped, crafted values from files and
// host pages, and a host page that breaks the DOM's own functions.
import { test, expect, open, drawn, allQuestions } from './helpers.mjs';

/** A page of its own with one widget of `kind` in namespace `ns` (and any attributes). */
async function mountOne(page, kind, ns, attrs = {}) {
  await page.evaluate(({ kind, ns, attrs }) => {
    for (const el of document.querySelectorAll('mentorkit-agreement, mentorkit-feedback')) el.remove();
    const el = document.createElement(`mentorkit-${kind}`);
    el.setAttribute('namespace', ns);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.querySelector('main').prepend(el);
  }, { kind, ns, attrs });
  await drawn(page);
  return page.locator(`mentorkit-${kind}[namespace="${ns}"]`);
}

async function newTab(context, kind, ns, attrs) {
  const tab = await context.newPage();
  await open(tab, '/docs/');
  return { tab, widget: await mountOne(tab, kind, ns, attrs) };
}

/** Saves a held session rated `rating` with `topics`. */
async function saveSession(widget, topics, rating = '4') {
  const form = widget.getByRole('tab', { name: 'New entry' });
  if ((await form.getAttribute('aria-selected')) !== 'true') await form.click();
  const mentee = widget.getByRole('radio', { name: 'Mentee', exact: true });
  if (await mentee.count()) await mentee.check();
  await widget.getByRole('radio', { name: rating, exact: true }).first().check();
  await allQuestions(widget);
  await widget.getByLabel('What did you talk about?').fill(topics);
  await widget.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(widget.locator('.saved')).toBeVisible();
}

function stored(page, key) {
  return page.evaluate((k) => JSON.parse(localStorage.getItem(k) || 'null'), key);
}

const topicsOf = (env) => (env ? env.data.map((r) => r.data.topics).filter(Boolean).sort() : []);

test('three tabs on one namespace each save entries: every entry is kept, and every tab shows them all', async ({ page, context }) => {
  const ns = `tabs-${Date.now()}`;
  await open(page, '/docs/');
  const a = await mountOne(page, 'feedback', ns);
  const { tab: tabB, widget: b } = await newTab(context, 'feedback', ns);
  const { tab: tabC, widget: c } = await newTab(context, 'feedback', ns);
  await saveSession(a, 'from tab A');
  await saveSession(b, 'from tab B');
  await saveSession(c, 'from tab C');
  await saveSession(a, 'from tab A again');
  const key = `mentorkit:${ns}:feedback:records`;
  await expect.poll(async () => topicsOf(await stored(page, key))).toEqual(['from tab A', 'from tab A again', 'from tab B', 'from tab C']);
  for (const w of [a, b, c]) await expect(w.getByRole('tab', { name: 'History (4)' })).toBeVisible();
  const seqs = (await stored(tabC, key)).data.map((r) => r.seq).sort();
  expect(new Set(seqs).size, 'every entry has its own number').toBe(4);
  await tabB.close();
  await tabC.close();
});

test('two tabs editing one agreement: each keeps the other tab\'s edit, and a field both changed is kept both ways', async ({ page, context }) => {
  const ns = `draft-${Date.now()}`;
  await open(page, '/docs/');
  const a = await mountOne(page, 'agreement', ns);
  const { tab: tabB, widget: b } = await newTab(context, 'agreement', ns);
  const name = (w, who) => w.getByRole('group', { name: who }).getByRole('textbox', { name: 'Full name' });
  await name(a, 'Mentee').fill('Amara Okafor');
  await expect(a.getByText('Draft saved in this browser.')).toBeVisible();
  await name(b, 'Mentor').fill('Jonas Weber');
  await expect(b.getByText('Draft saved in this browser.')).toBeVisible();
  const key = `mentorkit:${ns}:agreement:draft`;
  await expect.poll(async () => (await stored(page, key)).data).toMatchObject({ 'mentee.name': 'Amara Okafor', 'mentor.name': 'Jonas Weber' });
  await expect(name(a, 'Mentor')).toHaveValue('Jonas Weber');
  await expect(name(b, 'Mentee')).toHaveValue('Amara Okafor');
  await expect(a.getByText('also changed in another tab')).toBeVisible();

  // Both change the same field before either hears of the other: tab B's
  // save lands while tab A's edit waits for its own.
  await a.getByRole('button', { name: /^2\. / }).click();
  await a.getByRole('textbox', { name: 'Purpose' }).fill('Tab A: a residency');
  await tabB.evaluate((k) => {
    const env = JSON.parse(localStorage.getItem(k));
    env.data['purpose.text'] = 'Tab B: a portfolio';
    localStorage.setItem(k, JSON.stringify(env));
  }, key);
  await expect(a.getByText('changed the same answers at the same time')).toBeVisible();
  await expect(a.getByRole('textbox', { name: 'Purpose' })).toHaveValue('Tab A: a residency');
  await a.getByRole('button', { name: "Use the other tab's text" }).click();
  await expect(a.getByRole('textbox', { name: 'Purpose' })).toHaveValue('Tab B: a portfolio');
  await tabB.close();
});

test('two widgets of one namespace on one page keep each other\'s entries', async ({ page }) => {
  const ns = `same-page-${Date.now()}`;
  await open(page, '/docs/');
  await mountOne(page, 'feedback', ns);
  await page.evaluate((ns) => {
    const el = document.createElement('mentorkit-feedback');
    el.setAttribute('namespace', ns);
    el.id = 'second';
    document.querySelector('main').append(el);
  }, ns);
  await drawn(page);
  const [one, two] = [page.locator(`mentorkit-feedback[namespace="${ns}"]`).first(), page.locator('#second')];
  await saveSession(one, 'first widget');
  await saveSession(two, 'second widget');
  await expect.poll(async () => topicsOf(await stored(page, `mentorkit:${ns}:feedback:records`))).toEqual(['first widget', 'second widget']);
  await expect(one.getByRole('tab', { name: 'History (2)' })).toBeVisible();
});

/** Fills this origin's storage with junk until less than `room` characters fit. */
async function fillStorage(page, room = 0) {
  return page.evaluate((room) => {
    let chunk = 'x'.repeat(1 << 20);
    let n = 0;
    while (chunk.length > Math.max(room, 0)) {
      try { localStorage.setItem(`host-junk-${n++}`, chunk); } catch { chunk = chunk.slice(0, chunk.length >> 1); }
    }
    return n;
  }, room);
}

async function freeStorage(page) {
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('host-junk-')) localStorage.removeItem(k); });
}

test('storage already full when the page opens: called full, typing is kept, and saving resumes once there is room', async ({ page }) => {
  const ns = `full-${Date.now()}`;
  await open(page, '/docs/');
  await fillStorage(page);
  const codes = [];
  await page.exposeFunction('__code', (c) => codes.push(c));
  await page.evaluate(() => document.addEventListener('mentorkit-error', (e) => window.__code(e.detail.code)));
  const w = await mountOne(page, 'agreement', ns);
  await expect(w.getByText('storage for this page is full')).toBeVisible();
  expect(codes).toContain('storage-full');
  await expect(w.getByText('not letting the page save')).toHaveCount(0);
  await w.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' }).fill('Amara Okafor');
  await page.waitForTimeout(600);
  expect(await stored(page, `mentorkit:${ns}:agreement:draft`)).toBeNull();
  const download = page.waitForEvent('download');
  await w.getByRole('button', { name: 'Download a copy' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.json$/);
  await freeStorage(page);
  await expect(w.getByText('Everything is saved on this device again.')).toBeVisible({ timeout: 10_000 });
  expect((await stored(page, `mentorkit:${ns}:agreement:draft`)).data['mentee.name']).toBe('Amara Okafor');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('host-junk-')).length)).toBe(0);
});

test('an entry saved while storage is full is shown as not saved yet, can be downloaded, and is saved once there is room', async ({ page }) => {
  const ns = `full-entry-${Date.now()}`;
  await open(page, '/docs/');
  const w = await mountOne(page, 'feedback', ns);
  await fillStorage(page);
  await saveSession(w, 'saved while full');
  await expect(w.getByText('not saved on this device yet').first()).toBeVisible();
  await expect(w.getByRole('button', { name: 'Download a copy' }).first()).toBeVisible();
  await freeStorage(page);
  await expect.poll(async () => topicsOf(await stored(page, `mentorkit:${ns}:feedback:records`)), { timeout: 10_000 }).toEqual(['saved while full']);
  await expect(w.getByText('not saved on this device yet')).toHaveCount(0);
});

test('a large unreadable history that cannot be set aside is never written over: it is offered for download and new entries go beside it', async ({ page }) => {
  const ns = `stuck-${Date.now()}`;
  const key = `mentorkit:${ns}:feedback:records`;
  await open(page, '/docs/');
  const big = await page.evaluate((key) => {
    const value = JSON.stringify({ schema: 'mentorkit.feedback-records', version: 7, savedAt: 1, data: 'y'.repeat(2_500_000) });
    localStorage.setItem(key, value);
    return value.length;
  }, key);
  await fillStorage(page, 200_000);
  const w = await mountOne(page, 'feedback', ns);
  await w.getByRole('tab', { name: 'History' }).click();
  await expect(w.getByText('no room to set it aside')).toBeVisible();
  const download = page.waitForEvent('download');
  await w.getByRole('button', { name: 'Download the data left untouched' }).click();
  const file = await (await download).path();
  expect((await import('node:fs')).readFileSync(file, 'utf8').length).toBe(big);
  await w.getByRole('tab', { name: 'New entry' }).click();
  await saveSession(w, 'kept beside it');
  expect((await page.evaluate((k) => localStorage.getItem(k), key)).length, 'the old value is untouched').toBe(big);
  await page.reload();
  await drawn(page);
  const again = await mountOne(page, 'feedback', ns);
  await expect(again.getByRole('tab', { name: 'History (1)' })).toBeVisible();
  await freeStorage(page);
  await expect.poll(async () => page.evaluate((k) => Object.keys(localStorage).some((s) => s.startsWith(`${k}:set-aside:`)), key), { timeout: 10_000 }).toBe(true);
  await expect.poll(async () => topicsOf(await stored(page, key)), { timeout: 10_000 }).toEqual(['kept beside it']);
});

test('review dates are saved, in the value, the document and the calendar, and the value setter keeps them', async ({ page }) => {
  const ns = `reviews-${Date.now()}`;
  await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', ns);
  await w.getByRole('button', { name: /How long, and reviews/ }).click();
  await w.getByLabel('Start date').fill('2026-12-01');
  for (const [label, date] of [['First review', '2027-01-15'], ['Second review', '2027-03-01'], ['Third review', '2027-05-01']]) {
    await w.getByLabel(label).fill(date);
  }
  await expect(w.getByText('Draft saved in this browser.')).toBeVisible();
  const draft = (await stored(page, `mentorkit:${ns}:agreement:draft`)).data;
  expect([draft['review.1'], draft['review.2'], draft['review.3']]).toEqual(['2027-01-15', '2027-03-01', '2027-05-01']);
  const out = await w.evaluate((el) => ({ value: el.value, md: el.export('txt'), ics: el.export('ics') }));
  expect(out.value['review.2']).toBe('2027-03-01');
  expect(out.ics).toContain('DTSTART;VALUE=DATE:20270301');
  expect(out.md).toMatch(/We review how it is going on [^\n]*2027[^\n]*2027[^\n]*2027\./);
  await w.evaluate((el) => { el.value = { ...el.value, 'review.3': '2027-04-20' }; });
  expect(await w.evaluate((el) => el.value['review.3'])).toBe('2027-04-20');
  await expect(w.getByLabel('Third review')).toHaveValue('2027-04-20');
});

test('a draft file with a crafted timestamp opens, is signed and is sent; opening it raises no page error', async ({ page }) => {
  const ns = `crafted-${Date.now()}`;
  const errors = await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', ns, { endpoint: '/api/records' });
  const data = await w.evaluate((el) => ({
    ...el.value, 'mentee.name': 'Amara Okafor', 'mentor.name': 'Jonas Weber', 'purpose.text': 'Find my feet',
    'goal.1.what': 'A portfolio site', 'term.start': '2026-12-01', 'meta.id': `f-${Date.now()}`, 'meta.version': '1', 'meta.created': '2027-01-0éT10:00:00Z',
    'sign.mentee.at': '2027-01-0éT10:00:00Z',
  }));
  const file = { name: 'draft.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data })) };
  const chooser = page.waitForEvent('filechooser');
  await w.getByRole('button', { name: /Review and sign/ }).click();
  await w.getByRole('button', { name: 'Open a draft file' }).click();
  await (await chooser).setFiles(file);
  await expect(w.getByText('draft.json')).toBeVisible();
  for (const [party, name] of [['mentee', 'Amara Okafor'], ['mentor', 'Jonas Weber']]) {
    await w.locator(`input[name="sign.${party}.typed"]`).fill(name);
    await w.locator(`input[name="sign.${party}.confirm"]`).check();
    await w.locator(`[data-action="sign:${party}"]`).click();
  }
  await expect(w.getByText(/^Sent to the programme\./)).toBeVisible({ timeout: 10_000 });
  const sent = JSON.parse(page.sentRecords.at(-1));
  expect(sent.kind).toBe('agreement');
  expect(sent.created).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(errors).toEqual([]);
});

test('a 2 MB field in a draft file is refused with a message and nothing is lost', async ({ page }) => {
  const ns = `huge-${Date.now()}`;
  await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', ns);
  await w.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' }).fill('Kept as typed');
  const buffer = Buffer.from(JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data: { 'mentee.name': 'Other', 'purpose.text': 'p'.repeat(2_000_000) } }));
  await w.getByRole('button', { name: /Review and sign/ }).click();
  await w.locator('input[name=import]').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer });
  await expect(w.getByText(/was not opened|far larger/)).toBeVisible();
  const small = Buffer.from(JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data: { 'mentee.name': 'Other', 'purpose.text': 'p'.repeat(5_000) } }));
  await w.locator('input[name=import]').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: small });
  await expect(w.getByText('“Purpose” in it is longer than this form allows (at most 4000 characters)')).toBeVisible();
  await w.getByRole('button', { name: /^1\. / }).click();
  await expect(w.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' })).toHaveValue('Kept as typed');
});

test('a stored draft saved at 1e308 opens with a notice and a working form', async ({ page }) => {
  const ns = `far-${Date.now()}`;
  await open(page, '/docs/');
  await page.evaluate((ns) => localStorage.setItem(`mentorkit:${ns}:agreement:draft`, JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1e308, data: { 'mentee.name': 'x' } })), ns);
  const w = await mountOne(page, 'agreement', ns);
  await expect(w.getByText('could not be read')).toBeVisible();
  await w.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' }).fill('Works');
  await expect(w.getByText('Draft saved in this browser.')).toBeVisible();
});

test('undefined and null from a host give coded errors and leave a working widget', async ({ page }) => {
  const ns = `host-${Date.now()}`;
  await open(page, '/docs/');
  const codes = [];
  await page.exposeFunction('__code', (c) => codes.push(c));
  await page.evaluate(() => document.addEventListener('mentorkit-error', (e) => window.__code(e.detail.code)));
  const a = await mountOne(page, 'agreement', ns);
  const thrown = await a.evaluate((el) => { try { el.value = null; return null; } catch (e) { return `${e.name}:${e.code}`; } });
  expect(thrown).toBe('MentorkitError:value-invalid');
  await a.evaluate((el) => { el.programme = undefined; });
  await expect.poll(() => codes).toContain('config-invalid');
  await a.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' }).fill('Still here');
  await expect(a.getByText('Draft saved in this browser.')).toBeVisible();
  expect(await a.evaluate((el) => el.value['mentee.name'])).toBe('Still here');
  const f = await mountOne(page, 'feedback', ns);
  await f.evaluate((el) => { el.agreement = undefined; });
  await expect.poll(() => codes).toContain('agreement-invalid');
  await saveSession(f, 'after undefined');
});

test('a host listener that reads value whenever focus moves works, and so does the widget', async ({ page }) => {
  const ns = `focus-${Date.now()}`;
  const errors = await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', ns);
  await w.evaluate((el) => {
    window.__seen = [];
    const read = () => window.__seen.push(Object.keys(el.value).length);
    // Focus moving into the widget from the page, and within it (a host may
    // listen on the open shadow root too).
    document.addEventListener('focusin', read);
    el.shadowRoot.addEventListener('focusin', read);
    const button = document.createElement('button');
    button.textContent = 'Check the form';
    button.addEventListener('click', () => el.submit());
    document.querySelector('main').prepend(button);
  });
  await page.getByRole('button', { name: 'Check the form' }).click();
  await expect(w.getByRole('group', { name: 'Mentee' }).getByRole('textbox', { name: 'Full name' })).toBeFocused();
  await w.getByRole('button', { name: 'Next' }).click();
  await page.keyboard.type('Amara');
  await expect(w.getByText('Draft saved in this browser.')).toBeVisible();
  expect(await page.evaluate(() => window.__seen.length)).toBeGreaterThan(1);
  expect(await w.evaluate((el) => el.value['mentee.name'])).toBe('Amara');
  expect(errors).toEqual([]);
});

test('a programme value of the wrong type names its key', async ({ page }) => {
  await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', `types-${Date.now()}`);
  const message = await w.evaluate((el) => new Promise((resolve) => {
    el.addEventListener('mentorkit-error', (e) => resolve(e.detail.message), { once: true });
    el.programme = { name: 'H', clauses: [{ id: 'a', title: 't', text: 'x', required: 'yes' }] };
  }));
  expect(message).toContain('clauses[0].required');
  expect(message).not.toMatch(/line \d+ column/);
  await expect(w.getByText('clauses[0].required')).toBeVisible();
});

test('a meeting time with a line break never reaches the calendar file raw', async ({ page }) => {
  await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', `ics-${Date.now()}`);
  for (const time of ['1\n:00', '10:00\r\nATTACH:http://x.example']) {
    const ics = await w.evaluate((el, time) => {
      el.value = { ...el.value, 'mentee.name': 'A', 'mentor.name': 'B', 'term.start': '2026-12-01', 'meet.time': time };
      return el.export('ics');
    }, time);
    expect(ics, time).not.toContain('ATTACH');
    expect(ics.split('\r\n').every((line) => !line.includes('\n')), 'no bare line break in any line').toBe(true);
    expect(ics).toContain('DTSTART;VALUE=DATE:20261201');
  }
});

/** Saves a session while the page's fetch is `hostFetch`; the record must wait to be retried, with `reason`. */
async function hostFetchLeavesItWaiting(page, ns, hostFetch, reason) {
  await open(page, '/docs/');
  const w = await mountOne(page, 'feedback', ns, { endpoint: '/api/records' });
  await page.evaluate(`window.fetch = ${hostFetch}`);
  await saveSession(w, ns);
  const outbox = async () => (await stored(page, `mentorkit:${ns}:delivery:outbox`)).data.at(-1);
  await expect.poll(async () => (await outbox()).attempts).toBeGreaterThan(0);
  const entry = await outbox();
  expect(entry.status).toBe('queued');
  expect(entry.reason).toContain(reason);
}

test('a host fetch that throws at once leaves the record waiting to be retried, not sending forever', async ({ page }) => {
  await hostFetchLeavesItWaiting(page, `fetch-${Date.now()}`, "() => { throw new TypeError('the host blocks this request'); }", 'the host blocks this request');
});

test('a host fetch that answers with something other than a response leaves the record waiting to be retried', async ({ page }) => {
  await hostFetchLeavesItWaiting(page, `fetch-odd-${Date.now()}`, "async () => ({ get ok() { throw new Error('no status here'); } })", 'no status here');
});

test('a host fetch that never answers, and ignores the abort, counts as no answer in time', async ({ page }) => {
  const ns = `fetch-silent-${Date.now()}`;
  await page.clock.install();
  await open(page, '/docs/');
  const w = await mountOne(page, 'feedback', ns, { endpoint: '/api/records' });
  await page.evaluate(() => { window.fetch = () => new Promise(() => {}); });
  await saveSession(w, 'fetch never answers');
  const outbox = async () => (await stored(page, `mentorkit:${ns}:delivery:outbox`)).data.at(-1);
  await expect.poll(async () => (await outbox()).status).toBe('sending');
  // Past the 15 s a request may take: counted as no answer, and tried again.
  await page.clock.runFor(16_000);
  await expect.poll(async () => (await outbox()).reason).toBe('no answer in time');
  expect((await outbox()).attempts).toBeGreaterThan(1);
});

test('without crypto.getRandomValues every record still gets its own id', async ({ page }) => {
  await page.addInitScript(() => { Crypto.prototype.getRandomValues = () => { throw new Error('unavailable'); }; });
  const ns = `ids-${Date.now()}`;
  await open(page, '/docs/');
  const w = await mountOne(page, 'feedback', ns);
  await saveSession(w, 'one');
  await w.getByRole('tab', { name: 'New entry' }).click();
  await saveSession(w, 'two');
  const ids = (await stored(page, `mentorkit:${ns}:feedback:records`)).data.map((r) => r.id);
  expect(new Set(ids).size).toBe(2);
  expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
});

test('a damaged history or outbox is named as such, not as the draft', async ({ page }) => {
  const ns = `names-${Date.now()}`;
  await open(page, '/docs/');
  await page.evaluate((ns) => {
    localStorage.setItem(`mentorkit:${ns}:feedback:records`, '{broken');
    localStorage.setItem(`mentorkit:${ns}:delivery:outbox`, '[1,2');
  }, ns);
  const messages = [];
  await page.exposeFunction('__message', (m) => messages.push(m));
  await page.evaluate(() => document.addEventListener('mentorkit-error', (e) => window.__message(`${e.detail.code}: ${e.detail.message}`)));
  const w = await mountOne(page, 'feedback', ns, { endpoint: '/api/records' });
  await w.getByRole('tab', { name: 'History' }).click();
  await expect(w.getByText('The history saved in this browser could not be read')).toBeVisible();
  await expect.poll(() => messages.join('\n')).toContain('waiting in this browser to be sent');
  expect(messages.join('\n')).not.toContain('draft');
});

test('a page that breaks attachShadow gets a message and a coded error, not a blank element', async ({ page }) => {
  await page.addInitScript(() => { Element.prototype.attachShadow = () => { throw new Error('not here'); }; });
  const codes = [];
  await page.exposeFunction('__code', (c) => codes.push(c));
  await page.addInitScript(() => document.addEventListener('mentorkit-error', (e) => window.__code(e.detail.code)));
  await page.goto('/');
  await expect(page.locator('mentorkit-agreement [role=alert]')).toContainText('cannot start in this page');
  await expect.poll(() => codes).toContain('shadow-unavailable');
});

test('a page that breaks createContextualFragment still gets the widget; one that also breaks DOMParser gets a message', async ({ page, context }) => {
  await page.addInitScript(() => { Range.prototype.createContextualFragment = () => { throw new Error('broken by the host'); }; });
  const errors = await open(page, '/');
  await expect(page.locator('mentorkit-agreement').getByRole('heading', { name: 'Who this agreement is between' })).toBeVisible();
  expect(errors).toEqual([]);
  const other = await context.newPage();
  await other.addInitScript(() => {
    Range.prototype.createContextualFragment = () => { throw new Error('broken'); };
    DOMParser.prototype.parseFromString = () => { throw new Error('broken too'); };
    window.__codes = [];
    document.addEventListener('mentorkit-error', (e) => window.__codes.push(e.detail.code));
  });
  await other.goto('/');
  await expect(other.locator('mentorkit-agreement')).toContainText('cannot be shown in this page');
  await expect.poll(() => other.evaluate(() => window.__codes)).toContain('render-failed');
  await other.close();
});

test('check-ins and closing reviews made by filling their forms are sent as their schemas say', async ({ page }) => {
  const ns = `kinds-${Date.now()}`;
  await open(page, '/docs/');
  const w = await mountOne(page, 'feedback', ns, { endpoint: '/api/records' });
  await w.getByRole('radio', { name: 'Mentee', exact: true }).check();
  await w.getByRole('radio', { name: /A check-in/ }).check();
  await w.getByRole('group', { name: /how well is the mentoring working/ }).getByRole('radio').nth(3).check();
  await w.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(w.locator('.saved')).toBeVisible();
  await w.getByRole('tab', { name: 'New entry' }).click();
  await w.getByRole('radio', { name: /A closing review/ }).check();
  await w.getByLabel('What will you take away?').fill('Confidence to pitch');
  await w.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(w.locator('.saved')).toBeVisible();
  await expect.poll(() => page.sentRecords.map((b) => JSON.parse(b).kind).sort(), { timeout: 10_000 }).toEqual(['checkin', 'closing']);
  for (const body of page.sentRecords) {
    const r = JSON.parse(body);
    expect(Object.keys(r.data)).not.toContain('status');
  }
});

test('every field of every agreement step that can be typed in is saved', async ({ page }) => {
  const ns = `every-${Date.now()}`;
  await open(page, '/docs/');
  const w = await mountOne(page, 'agreement', ns);
  // The branches that show the most fields.
  await w.evaluate((el) => { el.value = { ...el.value, 'mentee.minor': 'yes', 'paid.kind': 'paid', 'term.length': 'date', 'meet.cadence': 'custom', goals: '2' }; });
  const typed = {};
  const steps = await w.getByRole('navigation', { name: 'Steps' }).getByRole('button').allTextContents();
  for (const step of steps) {
    await w.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: step }).click();
    const fields = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('form input[name]:not([type=radio]):not([type=checkbox]):not([type=file]):not([readonly]), form textarea[name]:not([readonly])')]
      .filter((f) => !f.name.startsWith('sign.')).map((f) => ({ name: f.name, type: f.type })));
    for (const { name, type } of fields) {
      const value = type === 'date' ? '2027-02-01' : type === 'time' ? '18:30' : name.startsWith('meet.') && /every|minutes|agendaDays/.test(name) ? '12' : `typed into ${name}`;
      await w.locator(`[name="${name}"]`).fill(value);
      typed[name] = value;
    }
  }
  expect(Object.keys(typed)).toEqual(expect.arrayContaining(['review.1', 'review.2', 'review.3', 'guardian.name', 'paid.fees', 'term.end', 'goal.2.what', 'meet.time']));
  await expect.poll(async () => {
    const data = (await stored(page, `mentorkit:${ns}:agreement:draft`) || { data: {} }).data;
    return Object.entries(typed).filter(([k, v]) => data[k] !== v).map(([k]) => k);
  }, { message: 'fields typed but not saved' }).toEqual([]);
});
