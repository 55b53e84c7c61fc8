// What mentorkit keeps on this device, end to end in Chromium: everything
// taken as one file (every record and version, the private notes included),
// and erased after a confirmation that names what goes and warns about
// records the programme has not had yet; every widget of the namespace, in
// this tab and another, starts afresh, and no key of the namespace is left.
import { test, expect, open, expectNoAxeViolations } from './helpers.mjs';

const PRIVATE = 'PRIVATE-9d1e: worried about the interview';
const NS = 'mentorkit:harbourlight:';

/** Every key of the demo's namespace in this page's storage. */
function keysOf(page) {
  return page.evaluate((ns) => Object.keys(localStorage).filter((k) => k.startsWith(ns)).sort(), NS);
}

async function download(page, scope, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), scope.getByRole('button', { name }).click()]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

/** Saves a held session rated `rating` with a private note. */
async function saveSession(widget, rating) {
  const mentee = widget.getByRole('radio', { name: 'Mentee', exact: true });
  if (await mentee.count()) await mentee.check();
  await widget.getByRole('radio', { name: rating, exact: true }).first().check();
  const more = widget.getByRole('button', { name: /^More questions/ });
  if (await more.count()) await more.click();
  await widget.getByLabel('Private note').fill(PRIVATE);
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(widget.locator('.saved')).toBeFocused();
}

test('download everything holds every version; erase everything asks, names what goes, and leaves nothing', async ({ page, context }) => {
  await open(page, '/#feedback');
  const agreement = page.locator('mentorkit-agreement');
  const widget = page.locator('mentorkit-feedback');
  await agreement.locator('input[name="mentee.name"]').fill('Amara Okafor');
  await expect.poll(() => keysOf(page)).toContain(`${NS}agreement:draft`);
  // One session, amended: two versions of one record.
  await saveSession(widget, '3');
  await widget.locator('.entries summary').first().click();
  await widget.getByRole('button', { name: 'Amend' }).click();
  await widget.getByRole('radio', { name: '4', exact: true }).first().check();
  await widget.getByRole('button', { name: 'Save' }).click();
  await expect(widget.locator('.entries summary')).toHaveText([/version 2/]);
  // A second session saved offline stays in the outbox, not sent.
  await context.setOffline(true);
  await widget.getByRole('tab', { name: 'New entry' }).click();
  await saveSession(widget, '2');
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('mentorkit:harbourlight:delivery:outbox') || '{"data":[]}').data.length)).toBeGreaterThan(0);

  const device = widget.getByRole('region', { name: 'On this device' });
  await expect(device).toBeVisible();
  await expectNoAxeViolations(page, 'mentorkit-feedback');

  // Everything, as one file: every key, the records in every version with the private note.
  await expect.poll(() => keysOf(page)).toEqual(expect.arrayContaining([`${NS}agreement:draft`, `${NS}feedback:records`, `${NS}delivery:outbox`]));
  const before = await keysOf(page);
  const all = await download(page, device, 'Download everything');
  expect(all.name).toBe('mentorkit-harbourlight-everything.json');
  const file = JSON.parse(all.text);
  expect(file.schema).toBe('mentorkit.device');
  expect(file.values.map((v) => v.key).sort()).toEqual(before);
  const records = file.values.find((v) => v.key === `${NS}feedback:records`).value.data;
  expect(records.map((r) => [r.seq, r.version])).toEqual([[1, 1], [1, 2], [2, 1]]);
  expect(records.every((r) => r.data['private.note'] === PRIVATE)).toBe(true);
  expect(file.values.find((v) => v.key === `${NS}agreement:draft`).value.data['mentee.name']).toBe('Amara Okafor');

  // The question names what would go and warns about what was not sent; "No" keeps it all.
  await device.getByRole('button', { name: 'Erase everything on this device' }).click();
  const question = device.getByRole('group', { name: /Erase everything kept on this device/ });
  await expect(question).toBeVisible();
  await expect(question.getByRole('listitem')).toHaveText([
    'the agreement, as drafted or signed',
    'the session form, as you last left it',
    'session feedback: 2, with every earlier version (3 in all) and the private notes',
    'records not yet received by the programme: 1',
    'settings: 1',
  ]);
  await expect(question).toContainText('The programme has not yet received 1 of these records. Once erased, they can never be sent.');
  await expect(device.getByRole('button', { name: 'No, keep it' })).toBeFocused();
  await expectNoAxeViolations(page, 'mentorkit-feedback');
  await page.keyboard.press('Enter');
  await expect(device.getByRole('button', { name: 'Erase everything on this device' })).toBeFocused();
  expect(await keysOf(page)).toEqual(before);

  // By keyboard: ask again, Shift+Tab to "Yes", erase.
  await page.keyboard.press('Enter');
  await expect(device.getByRole('button', { name: 'No, keep it' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(device.getByRole('button', { name: 'Yes, erase everything' })).toBeFocused();
  await page.keyboard.press('Enter');
  const erased = 'Everything kept on this device for this programme was erased.';
  await expect(widget.getByRole('status').filter({ hasText: erased })).toBeFocused();
  await expect(agreement.getByText(erased)).toBeVisible();
  expect(await keysOf(page)).toEqual([]);
  // Both widgets start afresh: nothing of what was typed is on screen.
  await expect(widget.getByRole('tab', { name: /^History/ })).toHaveText('History');
  await agreement.getByRole('button', { name: 'Dismiss' }).click();
  await expect(agreement.locator('input[name="mentee.name"]')).toHaveValue('');

  // Nothing comes back, online again or after a reload, and what waited is never sent.
  const sent = page.sentRecords.length;
  await context.setOffline(false);
  await page.waitForTimeout(1500);
  expect(await keysOf(page)).toEqual([]);
  expect(page.sentRecords.length).toBe(sent);
  await page.reload();
  await expect(widget.locator('form')).toBeVisible();
  await page.waitForTimeout(500);
  expect(await keysOf(page)).toEqual([]);
});

test('erasing in one tab starts the other tab afresh, which writes nothing back', async ({ context }) => {
  const first = await context.newPage();
  await open(first, '/#agreement');
  const agreement = first.locator('mentorkit-agreement');
  await agreement.locator('input[name="mentee.name"]').fill('Jonas Weber');
  const second = await context.newPage();
  await open(second, '/#feedback');
  const other = second.locator('mentorkit-agreement');
  await expect(other.locator('input[name="mentee.name"]')).toHaveValue('Jonas Weber');

  // The agreement's review step has the section too.
  await agreement.getByRole('button', { name: /Review and sign/ }).click();
  const device = agreement.getByRole('region', { name: 'On this device' });
  await device.getByRole('button', { name: 'Erase everything on this device' }).click();
  await expect(device.getByRole('listitem')).toHaveText(['the agreement, as drafted or signed']);
  await device.getByRole('button', { name: 'Yes, erase everything' }).click();
  await expect(agreement.getByRole('status').filter({ hasText: 'was erased' })).toBeFocused();

  await expect(other.getByText('Everything kept on this device for this programme was erased.')).toBeVisible();
  await expect(other.locator('input[name="mentee.name"]')).toHaveValue('');
  await second.waitForTimeout(500);
  expect(await keysOf(first)).toEqual([]);
  expect(await keysOf(second)).toEqual([]);
});
