// Share and sign by link, end to end in Chromium with two browser contexts
// (two people, two devices) and no server in between: the mentee makes a
// link, the mentor opens it, signs and sends one back, the mentee signs;
// both hold the same signed version and fingerprint. No request carries the
// draft; the QR code decodes (with jsQR) to the link; a link whose draft
// differs from this device's shows what differs and asks which to keep.
import { test, expect, expectNoAxeViolations } from './helpers.mjs';
import jsQR from 'jsqr';

const NS = 'mentorkit:share-e2e:';
// An agreement page with no endpoint: nothing is sent anywhere.
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our agreement</title>
<script type="module" src="/pkg/mentorkit-elements.js"></script></head><body><main><h1>Our agreement</h1>
<mentorkit-agreement namespace="share-e2e" config="/programme.json"></mentorkit-agreement></main></body></html>`;

const GOAL = 'Give a first talk at the spring meetup';
const DRAFT = {
  'mentee.name': 'Amara Okafor', 'mentee.contact': 'amara@example.org', 'mentor.name': 'Jonas Weber',
  'purpose.text': 'Find my feet in the field.', 'goals': '1', 'meet.cadence': '30-fortnightly',
  'meet.first': '2026-12-03', 'meet.time': '18:30', 'term.start': '2026-12-01', 'term.length': '6',
  'review.1': '2027-02-15', 'clause.work-in-progress': 'yes',
};

/** One person's own browser on the agreement page; every request it makes is kept. */
async function person(browser, baseURL) {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] });
  await context.route('**/our-agreement', (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() || '', headers: JSON.stringify(r.headers()) }));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/our-agreement');
  await waitDrawn(page);
  return { context, page, requests, errors, widget: page.locator('mentorkit-agreement') };
}

function waitDrawn(page) {
  return page.waitForFunction(() => document.querySelector('mentorkit-agreement')?.shadowRoot?.querySelector('input'));
}

async function toReview(who) {
  const review = who.widget.getByRole('button', { name: /Review and sign/ });
  if (await review.count()) await review.click();
  await expect(who.widget.getByRole('heading', { name: 'Review and sign' })).toBeVisible();
}

/** Makes a link on the review step and returns it. */
async function makeLink(who) {
  await toReview(who);
  const section = who.widget.getByRole('region', { name: 'Send it to your partner by link' });
  await section.getByRole('button', { name: 'Make a link' }).click();
  const field = section.getByLabel('Link for your partner');
  await expect(field).toBeFocused();
  return field.inputValue();
}

async function sign(who, party, name) {
  const group = who.widget.getByRole('group', { name: `Signature: ${party}` });
  await group.getByRole('textbox').fill(name);
  await group.getByRole('checkbox').check();
  await group.getByRole('button', { name: 'Sign' }).click();
  await expect(group.getByText(`Signed by ${name} on`)).toBeVisible();
}

function fingerprint(who) {
  return who.widget.getByText(/^Fingerprint [0-9a-f]{4} /).first().textContent();
}

/** The QR code on screen, drawn into a canvas and read by jsQR. */
async function decodeQr(who) {
  const { width, data } = await who.widget.evaluate(async (el) => {
    const svg = el.shadowRoot.querySelector('[data-qr] svg');
    const side = Number(svg.getAttribute('viewBox').split(' ')[2]);
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.outerHTML)}`;
    await img.decode();
    const width = side * 4;
    const canvas = Object.assign(document.createElement('canvas'), { width, height: width });
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0, width, width);
    return { width, data: Array.from(g.getImageData(0, 0, width, width).data) };
  });
  return jsQR(Uint8ClampedArray.from(data), width, width)?.data;
}

async function openLink(who, link) {
  await who.page.goto(link);
  await waitDrawn(who.page);
  await expect(who.widget.getByText('Opened the draft from your partner’s link. Review it before signing.')).toBeVisible();
  await expect.poll(() => new URL(who.page.url()).hash, 'the link leaves the address bar').toBe('');
}

function storedDraft(who) {
  return who.page.evaluate((key) => JSON.parse(localStorage.getItem(key) || 'null')?.data, `${NS}agreement:draft`);
}

test('mentee and mentor sign by link on two devices; both hold the same signed version, and no request carries the draft', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const mentee = await person(browser, baseURL);
  const mentor = await person(browser, baseURL);

  // The mentee fills the agreement (the goal typed), and makes a link.
  await mentee.widget.evaluate((el, draft) => { el.value = { ...el.value, ...draft }; }, DRAFT);
  await mentee.widget.getByRole('button', { name: 'Next' }).click();
  await mentee.widget.getByRole('button', { name: 'Next' }).click();
  await mentee.widget.locator('[name="goal.1.what"]').fill(GOAL);
  const first = await makeLink(mentee);
  expect(first).toMatch(new RegExp(`^${baseURL}/our-agreement#mentorkit-draft=1\\.[A-Za-z0-9_-]+$`));
  expect(first, 'nothing of the draft is readable in the link').not.toContain('Amara');
  await expectNoAxeViolations(mentee.page, 'mentorkit-agreement');
  expect(await decodeQr(mentee), 'the QR code holds the link').toBe(first);
  // Copied to the clipboard, said where a screen reader hears it.
  const section = mentee.widget.getByRole('region', { name: 'Send it to your partner by link' });
  await section.getByRole('button', { name: 'Copy the link' }).click();
  await expect(section.getByText('The link is copied')).toBeVisible();
  expect(await mentee.page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  await expect(section.getByRole('link', { name: 'Send it by email' })).toHaveAttribute('href', /^mailto:\?subject=Our%20mentoring%20agreement&body=http/);

  // The mentor, on a fresh device, opens it: the draft is there, on the review, and nothing is asked.
  await openLink(mentor, first);
  await expect(mentor.widget.getByRole('heading', { name: 'Review and sign' })).toBeVisible();
  await expect(mentor.widget.getByRole('article')).toContainText(GOAL);
  await expect(mentor.widget.getByText('The link’s draft differs')).toHaveCount(0);
  await sign(mentor, 'Mentor', 'Jonas Weber');
  // The link made before the signature no longer matches: the section says so.
  const back = await makeLink(mentor);

  // The mentee pastes it into the tab that is already open (only the fragment changes).
  await mentee.page.evaluate((link) => { location.href = link; }, back);
  await expect(mentee.widget.getByText('Opened the draft from your partner’s link. Review it before signing.')).toBeVisible();
  await expect(mentee.widget.getByRole('group', { name: 'Signature: Mentor' }).getByText('Signed by Jonas Weber on')).toBeVisible();
  await expect(mentee.widget.getByText('The link’s draft differs')).toHaveCount(0);
  await expect(section.getByText('The draft has changed since the last link was made')).toBeVisible();
  await sign(mentee, 'Mentee', 'Amara Okafor');
  await expect(mentee.widget.getByText('Signed by everyone.')).toBeVisible();

  // The signed agreement goes back, so both keep it.
  const signed = await makeLink(mentee);
  await openLink(mentor, signed);
  await expect(mentor.widget.getByText('Signed by everyone.')).toBeVisible();
  // Saved on both devices (a moment after the last change), the same version.
  await expect.poll(async () => (await storedDraft(mentee))?.['meta.signed']).toMatch(/^[0-9a-f]{64}$/);
  const a = await storedDraft(mentee);
  await expect.poll(async () => (await storedDraft(mentor))?.['meta.signed']).toBe(a['meta.signed']);
  const b = await storedDraft(mentor);
  for (const key of ['meta.id', 'meta.version', 'meta.signed', 'sign.mentee.name', 'sign.mentee.at', 'sign.mentor.name', 'sign.mentor.at', 'goal.1.what']) {
    expect(b[key], key).toBe(a[key]);
  }
  expect(a['meta.signed']).toMatch(/^[0-9a-f]{64}$/);
  expect(await fingerprint(mentor)).toBe(await fingerprint(mentee));

  // No request, of either device, carried the draft or the link's fragment.
  const secrets = [GOAL, 'Amara', 'Jonas', ...[first, back, signed].map((l) => l.split('#')[1])];
  for (const r of [...mentee.requests, ...mentor.requests]) {
    for (const s of secrets) {
      expect(`${r.url} ${r.body} ${r.headers}`.includes(s), `${r.url} carries ${s.slice(0, 20)}`).toBe(false);
    }
  }
  expect(mentee.requests.every((r) => !r.body)).toBe(true);
  expect([...mentee.errors, ...mentor.errors]).toEqual([]);
});

test('a link whose draft differs shows what differs and asks which to keep; a damaged link changes nothing', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const mentee = await person(browser, baseURL);
  const mentor = await person(browser, baseURL);
  await mentee.widget.evaluate((el, draft) => { el.value = { ...el.value, ...draft, 'goal.1.what': 'From the mentee' }; }, DRAFT);
  const link = await makeLink(mentee);

  // The mentor's device has a draft of its own.
  await mentor.widget.evaluate((el, draft) => { el.value = { ...el.value, ...draft, 'goal.1.what': 'From the mentor' }; }, DRAFT);
  await expect.poll(async () => (await storedDraft(mentor))?.['goal.1.what']).toBe('From the mentor');

  // A link altered on the way is refused, and the mentor's draft stays.
  const broken = link.slice(0, -6) + (link.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
  await mentor.page.goto(broken);
  await waitDrawn(mentor.page);
  await expect(mentor.widget.getByText(/could not be opened as an agreement draft/)).toBeVisible();
  expect((await storedDraft(mentor))['goal.1.what']).toBe('From the mentor');

  // The real link: opened, with the question focused, naming each difference.
  await mentor.page.goto(link);
  await waitDrawn(mentor.page);
  const question = mentor.widget.getByRole('region', { name: 'The link’s draft differs from the one on this device' });
  await expect(question.getByRole('heading')).toBeFocused();
  await expect(question.getByRole('listitem')).toHaveText([/On this device: From the mentor\s*In the link: From the mentee/]);
  await expectNoAxeViolations(mentor.page, 'mentorkit-agreement');
  const aside = () => mentor.page.evaluate((ns) => Object.keys(localStorage).filter((k) => k.startsWith(`${ns}agreement:draft:set-aside:`)), NS);
  expect(await aside(), 'this device’s draft is kept aside until the choice').toHaveLength(1);
  await expect.poll(async () => (await storedDraft(mentor))['goal.1.what']).toBe('From the mentee');

  // Going back restores this device's draft and drops the copy kept aside.
  await question.getByRole('button', { name: 'Go back to this device’s draft' }).click();
  await expect(mentor.widget.getByText('Opened the draft from the draft this device had before the link.')).toBeVisible();
  await expect.poll(async () => (await storedDraft(mentor))['goal.1.what']).toBe('From the mentor');
  expect(await aside()).toEqual([]);

  // Again, and this time the link's draft is kept, by keyboard.
  await mentor.page.goto(link);
  await waitDrawn(mentor.page);
  await expect(question.getByRole('heading')).toBeFocused();
  await mentor.page.keyboard.press('Tab');
  await mentor.page.keyboard.press('Enter');
  await expect(mentor.widget.getByText('The draft from the link is kept.')).toBeFocused();
  await expect.poll(async () => (await storedDraft(mentor))['goal.1.what']).toBe('From the mentee');
  expect(await aside()).toEqual([]);
  expect([...mentee.errors, ...mentor.errors]).toEqual([]);
});

test('a draft too long for a link says so and offers the draft file instead', async ({ browser, baseURL }) => {
  const who = await person(browser, baseURL);
  // Random text hardly compresses: the link would pass what mail and chat carry.
  const fields = ['purpose.text', 'expect.mentee', 'expect.mentor', 'meet.access', 'cancel.rescheduling', 'cancel.repeated'];
  const random = () => Array.from({ length: 2500 }, () => 'abcdefghijklmnopqrstuvwxyz '[Math.floor(Math.random() * 27)]).join('');
  const long = Object.fromEntries(fields.map((f) => [f, random()]));
  await who.widget.evaluate((el, draft) => { el.value = { ...el.value, ...draft }; }, { ...DRAFT, ...long });
  await toReview(who);
  const section = who.widget.getByRole('region', { name: 'Send it to your partner by link' });
  await section.getByRole('button', { name: 'Make a link' }).click();
  await expect(section.getByRole('alert')).toContainText(/This draft is too long for a link \(\d[\d,]* characters; a link holds at most 8,?000\)/);
  const [file] = await Promise.all([who.page.waitForEvent('download'), section.getByRole('button', { name: 'Save draft as a file' }).click()]);
  expect(file.suggestedFilename()).toBe('mentoring-agreement-amara-okafor.json');
});
