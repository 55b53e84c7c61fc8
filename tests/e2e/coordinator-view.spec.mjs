// The coordinator's view end to end, on SQLite and on PostgreSQL: a programme
// of 40 pairs with a known story is sent to its own server, two pairs'
// feedback through the real widget in Chromium, the rest through
// POST /api/records with each person's invitation, exactly as the widgets
// send them (every body checked against the published schemas). The
// coordinator signs in and finds each story by filtering and opening pairs;
// the report's counts equal the seeded ones, and its spreadsheet is in words.
// Each engine gets a server of its own, so other tests' pairs never mix in.
import { test, expect } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { checkRecordBody, drawn, expectNoAxeViolations, fillSession } from './helpers.mjs';

const PORT = Number(process.env.MENTORKIT_E2E_PORT || 8181);
const BIN = 'target/server/mentorkit-server';
const EMAIL = 'coordinator@story.example';
const PASSWORD = 'a story passphrase';
const DAY = 86_400_000;
const now = Date.now();
const day = (offset) => new Date(now + offset * DAY).toISOString().slice(0, 10);
const TODAY = day(0);

const FIRST = ['Amara', 'Jonas', 'Lucía', 'Chen', 'Farah', 'Mateo', 'Ingrid', 'Kwame', 'Sofia', 'Yusuf', 'Noor', 'Élise', 'Tomasz', 'Priya', 'Diego', 'Hana', 'Omar', 'Greta', 'Ravi', 'Zanele'];
const LAST = ['Okafor', 'Weber', 'Romero', 'Li', 'Haddad', 'Silva', 'Berg', 'Mensah', 'Rossi', 'Demir'];
const MENTOR_LAST = ['Adeyemi', 'Kowalski', 'Moreau', 'Tanaka', 'Nilsson', 'Farouk', 'Costa', 'Brennan', 'Ivanova', 'Quispe'];

// The story: pair number → what happens to it.
function storyOf(n) {
  if (n <= 20 || n >= 39) return 'on-track';
  if (n <= 28) return 'overdue';
  return { 29: 'low-ratings', 30: 'poor-fit', 31: 'closed', 37: 'widget', 38: 'widget' }[n] || 'no-agreement';
}

const PAIRS = Array.from({ length: 40 }, (_, i) => {
  const n = i + 1;
  const id = `P${String(n).padStart(2, '0')}`;
  return {
    n, id, story: storyOf(n),
    mentee: `${FIRST[i % 20]} ${LAST[(i % 10 + Math.floor(i / 20) * 3) % 10]}`,
    mentor: `${FIRST[(i + 7) % 20]} ${MENTOR_LAST[i % 10]}`,
    monthly: n >= 39,
  };
});

// The agreement's fingerprint, as the widget takes it: SHA-256 of every entry
// but signatures and bookkeeping, in path order, `path TAB value LF`, escaped.
function fingerprint(data) {
  const escape = (v) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const lines = Object.keys(data).filter((k) => !k.startsWith('sign.') && !k.startsWith('meta.')).sort()
    .map((k) => `${k}\t${escape(data[k])}\n`).join('');
  return createHash('sha256').update(lines, 'utf8').digest('hex');
}

function agreementOf(p, start) {
  const data = {
    'mentee.name': p.mentee, 'mentee.minor': 'no', 'mentor.name': p.mentor,
    'purpose.text': 'Find a first job in the field.', goals: '1', 'goal.1.what': 'A portfolio to show employers',
    'expect.mentee': 'Bring an agenda.', 'expect.mentor': 'Listen and ask.',
    'meet.cadence': p.monthly ? '60-monthly' : '30-fortnightly', 'meet.format': 'video',
    'confidentiality.text': 'What we say stays between us.', 'confidentiality.limits': 'Unless someone is at risk.',
    'ending.text': 'Either may end it.', 'term.start': day(start), 'term.length': '12', 'review.1': day(60),
  };
  const print = fingerprint(data);
  for (const party of ['mentee', 'mentor']) {
    Object.assign(data, { [`sign.${party}.name`]: data[`${party}.name`], [`sign.${party}.at`]: `${day(start - 2)}T18:00:00.000Z`, [`sign.${party}.fingerprint`]: print });
  }
  const id = `${p.id}-agreement`;
  return {
    link: { id, fingerprint: print },
    record: { schema: 'mentorkit.record', version: 2, id, kind: 'agreement', recordVersion: 1, created: `${day(start - 3)}T17:00:00.000Z`, submitted: `${day(start - 2)}T18:00:00.000Z`, data, about: { pair: p.id, role: 'mentor' } },
  };
}

function feedback(p, role, kind, n, on, data, link) {
  return {
    schema: 'mentorkit.record', version: 2, id: `${p.id}-${role}-${n}`, kind, recordVersion: 1,
    created: `${day(on)}T19:00:00.000Z`, submitted: `${day(on)}T19:00:00.000Z`,
    data: { kind, respondent: role, date: day(on), ...data },
    about: link ? { pair: p.id, role, agreement: link.id, fingerprint: link.fingerprint } : { pair: p.id, role },
  };
}

/** Each pair's records, as (role, record), in the order they are sent. */
function recordsOf(p) {
  const every = p.monthly ? 30 : 14;
  const sessions = 6;
  const last = p.story === 'overdue' ? -45 : p.story === 'closed' ? -30 : p.story === 'widget' ? -every + 3 : -3;
  const start = last - every * (sessions - 1);
  const out = [];
  let link = null;
  if (p.story !== 'no-agreement') {
    const a = agreementOf(p, start);
    link = a.link;
    out.push(['mentor', a.record]);
  }
  const count = p.story === 'no-agreement' ? 1 : sessions;
  let n = 0;
  for (let s = 0; s < count; s++) {
    const on = start + s * every;
    const left = count - 1 - s;
    for (const role of ['mentee', 'mentor']) {
      let status = 'held';
      let rating = role === 'mentee' ? 5 : 4;
      if (p.story === 'low-ratings' && left < 3) rating = role === 'mentee' ? 2 : 3;
      if (p.n === 21 && s === 1) status = 'cancelled-mentee';
      if (p.n === 22 && s === 2) status = 'cancelled-mentor';
      if (p.n === 23 && s === 3) status = 'no-show';
      const data = { status };
      if (status === 'held') {
        Object.assign(data, { rating: String(rating), duration: role === 'mentee' ? '60' : '50', wentWell: `Session ${s + 1} went well.` });
        if (s === 0) Object.assign(data, { first: 'yes', fit: p.story === 'poor-fit' && role === 'mentor' ? 'poor' : 'good' });
        if (p.story === 'poor-fit' && role === 'mentor' && s === 0) data['coordinator.note'] = `COORDINATOR-${p.id}: we want different things.`;
      }
      out.push([role, feedback(p, role, 'session', ++n, on, data, link)]);
    }
  }
  if (p.story === 'closed') {
    out.push(['mentee', feedback(p, 'mentee', 'closing', ++n, last + 10, { 'outcomes.intangible': 'clarity;confidence', 'outcomes.concrete': 'new-role', goals: '1', 'goal.1.achieved': 'yes' }, link)]);
    out.push(['mentor', feedback(p, 'mentor', 'closing', ++n, last + 11, { 'outcomes.intangible': 'confidence' }, link)]);
  }
  return out;
}

/** What the report must count for the seeded pairs (sessions: a pair and a day, once). */
function expected(widgetHeld) {
  const days = new Map();
  let minutes = 0;
  for (const p of PAIRS) {
    for (const [, r] of recordsOf(p)) {
      if (r.kind !== 'session') continue;
      const key = `${p.id} ${r.data.date}`;
      const seen = days.get(key) || { held: false, statuses: [] };
      seen.held ||= r.data.status === 'held';
      seen.statuses.push(r.data.status);
      if (r.data.status === 'held' && r.data.respondent === 'mentee') minutes += Number(r.data.duration);
      days.set(key, seen);
    }
  }
  const all = [...days.values()];
  const held = all.filter((d) => d.held).length + widgetHeld;
  return {
    held,
    minutes: minutes + widgetHeld * 30,
    byMentee: all.filter((d) => !d.held && d.statuses[0] === 'cancelled-mentee').length,
    byMentor: all.filter((d) => !d.held && d.statuses[0] === 'cancelled-mentor').length,
    noShows: all.filter((d) => !d.held && d.statuses[0] === 'no-show').length,
  };
}

function admin(url, args, input) {
  return execFileSync(BIN, ['--database-url', url, '--log-level', 'warn', 'admin', ...args], { input, encoding: 'utf8' });
}

const started = [];
process.on('exit', () => started.forEach((s) => s.kill()));

/** A server of our own on `engine`, with the story's programme seeded through its API. */
async function start(engine, port) {
  let url;
  if (engine === 'sqlite') {
    const dir = `target/e2e-view-${port}`;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    url = `${dir}/records.sqlite`;
  } else {
    const base = process.env.MENTORKIT_TEST_POSTGRES;
    const name = `mk_view_${process.pid}_${Date.now()}`;
    execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`]);
    url = `${base.slice(0, base.lastIndexOf('/'))}/${name}`;
  }
  admin(url, ['create-programme', '--id', 'story', '--name', 'Riverside Mentoring', '--origin', `http://127.0.0.1:${PORT}`]);
  admin(url, ['create-coordinator', '--programme', 'story', '--email', EMAIL, '--password-stdin'], `${PASSWORD}\n`);
  const server = spawn(BIN, ['--database-url', url, '--addr', `127.0.0.1:${port}`, '--log-level', 'warn'], { stdio: 'ignore' });
  started.push(server);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const invitations = {};
  for (const p of PAIRS) {
    const out = admin(url, ['enrol-pair', '--programme', 'story', '--pair', p.id, '--mentee-name', p.mentee, '--mentor-name', p.mentor]);
    const field = (name) => out.split('\n').find((l) => l.startsWith(`${name}: `)).slice(name.length + 2);
    invitations[p.id] = { mentee: field('mentee-invitation'), mentor: field('mentor-invitation') };
    for (const [role, record] of recordsOf(p)) {
      const body = JSON.stringify(record);
      expect(checkRecordBody(body), `${record.id} matches its schema`).toBeNull();
      const answer = await fetch(`${base}/api/records`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${invitations[p.id][role]}`, 'idempotency-key': `${record.id}.1` },
      });
      expect(answer.status, `${record.id}: ${await answer.text()}`).toBe(201);
    }
  }
  return { server, base, invitations };
}

// The programme's own page for its people: the feedback widget, given the invitation from the link.
const PAGE = (endpoint) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Riverside Mentoring</title>
<script type="module" src="/pkg/mentorkit-elements.js"></script></head><body><main><h1>Riverside Mentoring</h1>
<mentorkit-feedback namespace="story-e2e" config="/feedback.json" endpoint="${endpoint}"></mentorkit-feedback>
<script type="module">
  const invitation = new URLSearchParams(location.hash.slice(1)).get('invitation');
  if (invitation) history.replaceState(null, '', location.pathname);
  document.querySelector('mentorkit-feedback').invitation = invitation;
</script></main></body></html>`;

/** One person sends a held session through the real widget, in their own browser. */
async function throughTheWidget(browser, baseURL, endpoint, invitation, coordinatorNote) {
  const context = await browser.newContext({ baseURL, permissions: ['local-network-access'] });
  await context.route('**/riverside', (route) => route.fulfill({ contentType: 'text/html', body: PAGE(endpoint) }));
  const page = await context.newPage();
  const sent = [];
  page.on('response', (response) => {
    if (response.request().method() === 'POST' && response.url().startsWith(endpoint)) sent.push({ body: response.request().postData(), status: response.status() });
  });
  await page.goto(`/riverside#invitation=${invitation}`);
  await drawn(page);
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget, { rating: '4', privateNote: 'PRIVATE-stays-on-this-device', coordinatorNote });
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(widget.getByText(/^Sent to the programme\./)).toBeVisible();
  await expect.poll(() => sent.filter((s) => s.status === 201).length).toBe(1);
  expect(sent.map((s) => checkRecordBody(s.body)).filter(Boolean), 'schema-valid, no private note').toEqual([]);
  await context.close();
}

async function signIn(page, base) {
  await page.goto(`${base}/pairs`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Pairs' })).toBeVisible();
}

async function listed(page) {
  return page.locator('table.pairs tbody th a').evaluateAll((links) => links.map((a) => a.getAttribute('href').split('/').pop()));
}

const ids = (story) => PAIRS.filter((p) => p.story === story).map((p) => p.id);

const ENGINES = [['sqlite', PORT + 2], ...(process.env.MENTORKIT_TEST_POSTGRES ? [['postgres', PORT + 3]] : [])];

for (const [engine, port] of ENGINES) {
  test.describe(`the coordinator's view on ${engine}`, () => {
    test.describe.configure({ mode: 'serial' });
    let running;

    test.beforeAll(async ({ browser }, info) => {
      info.setTimeout(180_000);
      running = await start(engine, port);
      const baseURL = `http://127.0.0.1:${PORT}`;
      for (const p of PAIRS.filter((x) => x.story === 'widget')) {
        await throughTheWidget(browser, baseURL, `${running.base}/api/records`, running.invitations[p.id].mentee, `COORDINATOR-${p.id}-from-the-widget`);
      }
    });

    test.afterAll(async () => {
      for (const s of started) s.kill();
    });

    test('each story is found as seeded, by filtering and by opening pairs', async ({ page }) => {
      test.setTimeout(90_000);
      await signIn(page, running.base);
      await expect(page.getByText(/^40 pairs: /)).toBeVisible();
      expect(await listed(page)).toHaveLength(40);

      const filter = async (label, option) => {
        await page.getByLabel(label, { exact: true }).selectOption({ label: option });
        await Promise.all([page.waitForURL(/\/pairs\?/), page.getByRole('button', { name: 'Show' }).click()]);
        return listed(page);
      };
      const clear = () => Promise.all([page.waitForURL(/\/pairs$/), page.getByRole('link', { name: 'Clear' }).click()]);

      expect((await filter('Rhythm', 'Overdue')).sort()).toEqual(ids('overdue'));
      await expect(page.locator('table.pairs tbody tr').first()).toContainText(/Overdue by \d+ days/);
      await clear();
      const onTrack = await filter('Rhythm', 'On track');
      expect(onTrack.sort()).toEqual([...ids('on-track'), ...ids('widget'), 'P29', 'P30'].sort());
      await clear();
      expect(await filter('Alerts', 'Low ratings')).toEqual(['P29']);
      await clear();
      expect(await filter('Alerts', 'Not a good fit')).toEqual(['P30']);
      await clear();
      expect(await filter('Status', 'Closed')).toEqual(['P31']);
      await clear();
      expect((await filter('Rhythm', 'No rhythm agreed')).sort()).toEqual([...ids('no-agreement'), 'P31'].sort());
      await clear();

      // Found by name, with the keyboard alone.
      const p = PAIRS[12];
      await page.getByLabel('Name or pair id').focus();
      await page.keyboard.type(p.mentee);
      await Promise.all([page.waitForURL(/q=/), page.keyboard.press('Enter')]);
      expect(await listed(page)).toEqual([p.id]);

      // Opening pairs: what each says, as seeded.
      const open = async (id) => {
        await page.goto(`${running.base}/pairs?q=${id}`);
        await Promise.all([page.waitForURL(new RegExp(`/pairs/${id}$`)), page.locator('table.pairs tbody th a').first().click()]);
      };
      await open('P29');
      await expect(page.getByText('Three low ratings in a row from the mentee').first()).toBeVisible();
      await open('P30');
      await expect(page.getByText('The mentor says the pairing is not a good fit').first()).toBeVisible();
      await expect(page.getByRole('region', { name: 'Notes for the coordinator' }).getByText('COORDINATOR-P30: we want different things.')).toBeVisible();
      await open('P31');
      await expect(page.getByText(/^Closed /).first()).toBeVisible();
      await expect(page.getByRole('heading', { name: /Closing review/ }).first()).toBeVisible();
      await open('P21');
      await expect(page.getByText(/Next session overdue by \d+ days/).first()).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: 'The signed agreement' })).toBeVisible();
      await open('P37');
      await expect(page.getByRole('region', { name: 'Notes for the coordinator' }).getByText('COORDINATOR-P37-from-the-widget')).toBeVisible();
      await expect(page.getByText('Private notes never leave the device')).toBeVisible();
      expect(await page.content()).not.toContain('PRIVATE-');
    });

    test("the report's counts equal the seeded ones and its spreadsheet is in words", async ({ page }) => {
      await signIn(page, running.base);
      const from = day(-365);
      await page.goto(`${running.base}/report?from=${from}&to=${TODAY}`);
      const e = expected(ids('widget').length);
      const figure = (section, label) => page.getByRole('table', { name: section }).getByRole('row', { name: new RegExp(`^${label} `) }).getByRole('cell');
      await expect(figure('Pairs', 'Active during the period')).toHaveText('40');
      await expect(figure('Pairs', 'Started')).toHaveText('40');
      await expect(figure('Pairs', 'Closed')).toHaveText('1');
      await expect(figure('Sessions', 'Held')).toHaveText(String(e.held));
      await expect(figure('Sessions', 'Cancelled by the mentee')).toHaveText(String(e.byMentee));
      await expect(figure('Sessions', 'Cancelled by the mentor')).toHaveText(String(e.byMentor));
      await expect(figure('Sessions', 'No-shows')).toHaveText(String(e.noShows));
      await expect(figure('Sessions', 'Hours of mentoring')).toHaveText((Math.round(e.minutes / 6) / 10).toFixed(1));
      await expect(page.getByText('2 closing reviews: 1 from mentees, 1 from mentors.')).toBeVisible();
      await expect(figure('What changed', 'Confidence')).toHaveText(['1', '1', '2']);
      await expect(page.locator('svg[role="img"]')).toHaveCount(3);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'the figures' }).click()]);
      const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
      expect(csv[0]).toBe('Section,Measure,Value');
      expect(csv).toContain(`Sessions,Held,${e.held}`);
      expect(csv).toContain('Pairs,Closed,1');
      expect(csv).toContain('What changed,Confidence,2');
      expect(csv.join('\n')).not.toMatch(/cancelled-|new-role|outcomes\./);
    });

    for (const language of ['English', 'العربية']) {
      test(`the pairs list, a pair and the report have no axe violations in ${language}`, async ({ page }) => {
        test.setTimeout(120_000);
        await signIn(page, running.base);
        if (language !== 'English') {
          await Promise.all([page.waitForResponse((r) => r.url().includes('/language?')), page.getByRole('link', { name: language }).click()]);
        }
        for (const path of ['/pairs', '/pairs/P30', `/report?from=${day(-365)}&to=${TODAY}`]) {
          await page.goto(`${running.base}${path}`);
          await expect(page.locator('html')).toHaveAttribute('dir', language === 'English' ? 'ltr' : 'rtl');
          await expectNoAxeViolations(page, 'body');
        }
      });
    }
  });
}
