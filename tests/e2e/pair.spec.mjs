// A pair through the programme's server, end to end: a coordinator enrols a
// pair; the mentee and the mentor each open their invitation on the
// programme's page in their own browser, sign the agreement and send a
// session's feedback; the server holds the signed agreement and both records
// under that pair, every record linked to the agreement by its fingerprint.
import { test, expect } from '@playwright/test';
import { allQuestions, checkRecordBody, drawn } from './helpers.mjs';

const SERVER = `http://127.0.0.1:${process.env.MENTORKIT_E2E_SERVER_PORT}`;

// The programme's own page, on the demo origin (which the programme lists):
// it passes the invitation in the link's fragment to both widgets, and takes
// it out of the address bar.
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our mentoring</title>
<script type="module" src="/pkg/mentorkit-elements.js"></script></head><body><main><h1>Our mentoring</h1>
<mentorkit-agreement namespace="pair-e2e" config="/programme.json" endpoint="${SERVER}/api/records"></mentorkit-agreement>
<mentorkit-feedback namespace="pair-e2e" config="/feedback.json" endpoint="${SERVER}/api/records"></mentorkit-feedback>
<script type="module">
  const invitation = new URLSearchParams(location.hash.slice(1)).get('invitation');
  if (invitation) history.replaceState(null, '', location.pathname);
  for (const el of document.querySelectorAll('mentorkit-agreement, mentorkit-feedback')) el.invitation = invitation;
</script></main></body></html>`;

const DRAFT = {
  'mentee.name': 'Amara Okafor', 'mentee.contact': 'amara@example.org', 'mentor.name': 'Jonas Weber',
  'purpose.text': 'Find my feet.', 'goal.1.what': 'Portfolio', 'goals': '1', 'meet.cadence': '30-fortnightly',
  'meet.first': '2026-12-03', 'meet.time': '18:30', 'term.start': '2026-12-01', 'term.length': '6',
  'review.1': '2027-02-15', 'clause.work-in-progress': 'yes',
  'confidentiality.text': 'Private.', 'confidentiality.limits': 'Harm is reported.', 'ending.text': 'Either may end it.',
  'expect.mentee': 'Lead.', 'expect.mentor': 'Listen.',
};

/** A person's own browser, on the programme's page opened from their invitation. */
async function person(browser, baseURL, invitation) {
  // A routed page has no address of its own, so Chromium counts it as public and asks before it may reach
  // the server on loopback; a programme's real page and server are both public, or both on its network.
  const context = await browser.newContext({ baseURL, acceptDownloads: true, permissions: ['local-network-access'] });
  await context.route('**/our-mentoring', (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sent = [];
  page.on('response', (response) => {
    const request = response.request();
    if (request.method() === 'POST' && request.url().startsWith(`${SERVER}/api/records`)) {
      sent.push({ body: request.postData(), status: response.status() });
    }
  });
  await page.goto(`/our-mentoring#invitation=${invitation}`);
  await drawn(page);
  expect(new URL(page.url()).hash, 'the invitation leaves the address bar').toBe('');
  return { context, page, errors, sent, agreement: page.locator('mentorkit-agreement'), feedback: page.locator('mentorkit-feedback') };
}

async function openFile(who, name, text) {
  const { page, agreement } = who;
  await agreement.getByRole('button', { name: /Review and sign/ }).click();
  const chooser = page.waitForEvent('filechooser');
  await agreement.getByRole('button', { name: 'Open a draft file' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(agreement.getByText(`Opened the draft from ${name}`)).toBeVisible();
}

async function sign(who, party, name) {
  const group = who.agreement.getByRole('group', { name: `Signature: ${party}` });
  await group.getByRole('textbox').fill(name);
  await group.getByRole('checkbox').check();
  await group.getByRole('button', { name: 'Sign' }).click();
  await expect(group.getByText(`Signed by ${name} on`)).toBeVisible();
}

async function draftFile(who) {
  const [file] = await Promise.all([who.page.waitForEvent('download'), who.agreement.getByRole('button', { name: 'Save draft as a file' }).click()]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function sendSession(who, wentWell) {
  const { feedback } = who;
  await expect(feedback.getByRole('radio', { name: 'Mentee', exact: true }), 'the invitation says who is answering').toHaveCount(0);
  await feedback.getByRole('radio', { name: '4', exact: true }).first().check();
  await allQuestions(feedback);
  await feedback.getByLabel('What went well?').fill(wentWell);
  await feedback.getByLabel('Private note').fill('PRIVATE-stays-here');
  await feedback.getByRole('button', { name: 'Save' }).click();
  await expect(feedback.getByText(/^Sent to the programme\./)).toBeVisible();
}

test('a pair enrolled by the coordinator signs and sends feedback, and the server holds it all under the pair', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const coordinator = await browser.newPage();
  await coordinator.goto(`${SERVER}/sign-in`);
  await coordinator.getByLabel('Email').fill('coordinator@example.org');
  await coordinator.getByLabel('Password').fill('a coordinator passphrase');
  await coordinator.getByLabel('Password').press('Enter');
  await coordinator.getByRole('navigation').getByRole('link', { name: 'Enrol a pair' }).click();
  const pair = `P${Date.now()}`;
  await coordinator.getByLabel('Pair id').fill(pair);
  await coordinator.getByLabel("Mentee's name").fill('Amara Okafor');
  await coordinator.getByLabel("Mentor's name").fill('Jonas Weber');
  await coordinator.getByRole('button', { name: 'Enrol and make the invitations' }).click();
  const [menteeInvitation, mentorInvitation] = (await coordinator.locator('code.secret').allTextContents()).map((t) => t.trim());
  expect(menteeInvitation).toContain(`${pair}.mentee.`);
  expect(mentorInvitation).toContain(`${pair}.mentor.`);

  const mentee = await person(browser, baseURL, menteeInvitation);
  const mentor = await person(browser, baseURL, mentorInvitation);

  // The mentee opens the draft they wrote together, is told what goes where, and signs.
  await openFile(mentee, 'first-meeting.json', JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data: DRAFT }));
  await expect(mentee.agreement.getByText(`goes to the programme as it reads here, for pair ${pair}`)).toBeVisible();
  await sign(mentee, 'Mentee', 'Amara Okafor');
  const half = await draftFile(mentee);
  expect(JSON.parse(half).data['meta.pair'], 'the draft file carries the pair').toBe(pair);

  // The mentor opens the mentee's file in their own browser and signs: the agreement is complete and sent.
  await openFile(mentor, 'from-amara.json', half);
  await sign(mentor, 'Mentor', 'Jonas Weber');
  await expect(mentor.agreement.getByText('Signed by everyone.')).toBeVisible();
  await expect.poll(() => mentor.sent.filter((s) => s.status === 201).length, { message: 'the signed agreement is accepted' }).toBe(1);
  const signed = await draftFile(mentor);

  // The mentee keeps the signed copy too.
  await openFile(mentee, 'signed.json', signed);
  await expect(mentee.agreement.getByText('Signed by everyone.')).toBeVisible();

  // Each sends a session's feedback, and is told, before sending, whom it is about.
  await expect(mentee.feedback.getByText(`about pair ${pair}, answered by: Mentee`)).toBeVisible();
  await expect(mentor.feedback.getByText(`about pair ${pair}, answered by: Mentor`)).toBeVisible();
  for (const who of [mentee, mentor]) {
    await expect(who.feedback.getByText(/It names the agreement you both signed \(fingerprint [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}\)/)).toBeVisible();
  }
  await sendSession(mentee, 'We planned the portfolio');
  await sendSession(mentor, 'Good questions from Amara');
  await expect.poll(() => mentee.sent.filter((s) => s.status === 201).length).toBeGreaterThanOrEqual(1);
  await expect.poll(() => mentor.sent.filter((s) => s.status === 201).length).toBe(2);

  const bodies = [...mentee.sent, ...mentor.sent].map((s) => s.body);
  expect(bodies.map(checkRecordBody).filter(Boolean), 'every record matches its schema, no private note').toEqual([]);
  const records = bodies.map((b) => JSON.parse(b));
  const agreementRecord = records.find((r) => r.kind === 'agreement');
  expect(agreementRecord.about.pair).toBe(pair);
  const fingerprint = agreementRecord.about.fingerprint;
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  const sessions = records.filter((r) => r.kind === 'session');
  expect(sessions.map((r) => [r.version, r.about.pair, r.about.role, r.about.agreement, r.about.fingerprint]).sort()).toEqual([
    [2, pair, 'mentee', agreementRecord.id, fingerprint],
    [2, pair, 'mentor', agreementRecord.id, fingerprint],
  ]);

  // The coordinator finds all of it under the pair, linked by the fingerprint.
  await coordinator.goto(`${SERVER}/pairs/${pair}`);
  const table = coordinator.getByRole('table');
  const rows = table.locator('tbody tr');
  const short = fingerprint.slice(0, 16).match(/.{4}/g).join(' ');
  const cell = (text) => coordinator.getByRole('cell', { name: text, exact: true });
  const agreements = rows.filter({ has: cell('Agreement') });
  await expect(agreements.first()).toContainText(`${short} (this agreement)`);
  const sessionRows = rows.filter({ has: cell('Session') });
  await expect(sessionRows).toHaveCount(2);
  for (const role of ['Mentee', 'Mentor']) {
    await expect(sessionRows.filter({ has: cell(role) })).toContainText(`${short} (a signed agreement above)`);
  }
  await expect(table).toContainText('We planned the portfolio');
  await expect(table).toContainText('Good questions from Amara');
  await expect(table).not.toContainText('PRIVATE-stays-here');

  // A widget holding another pair's invitation cannot post into this one.
  const stranger = await coordinator.request.post(`${SERVER}/api/records`, {
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'stranger.1', Authorization: `Bearer mki_${pair}.mentee.${'0'.repeat(64)}` },
    data: agreementRecord,
  });
  expect(stranger.status()).toBe(401);

  expect([...mentee.errors, ...mentor.errors]).toEqual([]);
  await mentee.context.close();
  await mentor.context.close();
});
