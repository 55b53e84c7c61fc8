// The coordinator pages of mentorkit-server (not the demo): signing in,
// enrolling a pair, a pair's records, export, erasure and the audit log, by
// label and keyboard, with axe on every page and nothing refused by the
// pages' strict Content-Security-Policy.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const BASE = `http://127.0.0.1:${process.env.MENTORKIT_E2E_SERVER_PORT}`;
const EMAIL = 'coordinator@example.org';
const PASSWORD = 'a coordinator passphrase';

test.describe.configure({ mode: 'serial' });

async function expectAccessible(page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Watches a page for anything its Content-Security-Policy refused. */
function watchPolicy(page) {
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text()); });
  return refused;
}

async function signIn(page) {
  await page.goto(`${BASE}/pairs`);
  await expect(page).toHaveURL(`${BASE}/sign-in`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(`${BASE}/pairs`);
}

test('a visitor reads the sign-in in their browser language, and every page after it in theirs', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ar-EG' });
  const page = await context.newPage();
  const refused = watchPolicy(page);
  await page.goto(`${BASE}/pairs`);
  await expect(page).toHaveURL(`${BASE}/sign-in`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1, name: 'تسجيل الدخول' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
  await page.getByLabel('Correo electrónico').fill(EMAIL);
  await page.getByLabel('Contraseña').fill('not the passphrase');
  await page.getByLabel('Contraseña').press('Enter');
  await expect(page.getByRole('alert')).toHaveText('El correo o la contraseña no son correctos.');
  await expect(page.getByLabel('Contraseña')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByLabel('Contraseña').press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Parejas' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Inscribir una pareja' }).click();
  await page.getByRole('button', { name: 'Inscribir y crear las invitaciones' }).click();
  await expect(page.getByLabel('Nombre de la persona mentorizada')).toBeFocused();
  await page.getByLabel('Nombre de la persona mentorizada').fill(' ');
  await page.getByLabel('Nombre del mentor o la mentora').fill('Barbara');
  await page.getByRole('button', { name: 'Inscribir y crear las invitaciones' }).click();
  await expect(page.getByRole('alert')).toHaveText('Escriba el nombre de la persona mentorizada (como máximo 200 caracteres).');
  await expect(page.getByLabel('Nombre de la persona mentorizada')).toHaveAccessibleDescription(/Escriba el nombre/);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'العربية' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'سجل التدقيق' }).click();
  await expect(page.getByRole('table')).toContainText('سجّل الدخول');
  await expectAccessible(page);
  expect(refused).toEqual([]);
  await context.close();
});

test('signing in is done by keyboard alone, on an accessible page the policy allows', async ({ page }) => {
  const refused = watchPolicy(page);
  const answer = await page.goto(`${BASE}/audit`);
  expect(answer.url()).toBe(`${BASE}/sign-in`);
  expect((await answer.allHeaders())['content-security-policy']).toContain("default-src 'none'");
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Email')).toBeFocused();
  await page.keyboard.type(EMAIL);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type('not the passphrase');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('The email or the password is wrong.');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Pairs' })).toBeVisible();
  await expectAccessible(page);
  expect(refused).toEqual([]);
});

test('a pair is enrolled, sends a record, is exported and erased, and the audit log says so', async ({ page }) => {
  const refused = watchPolicy(page);
  await signIn(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Enrol a pair' }).click();
  await expectAccessible(page);
  const pair = `E${Date.now()}`;
  await page.getByLabel('Pair id').fill(pair);
  await page.getByLabel("Mentee's name").fill('Rosalind Mentee');
  await page.getByLabel("Mentor's name").fill('Barbara Mentor');
  await page.getByRole('button', { name: 'Enrol and make the invitations' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Pair ${pair} enrolled`);
  await expectAccessible(page);
  const invitation = (await page.locator('code.secret').first().textContent()).trim();
  expect(invitation).toMatch(new RegExp(`^mki_${pair}\\.mentee\\.[0-9a-f]{64}$`));

  const record = {
    schema: 'mentorkit.record', version: 1, id: `r-${pair}`, kind: 'session', recordVersion: 1,
    created: '2027-01-05T10:00:00.000Z', submitted: '2027-01-05T10:00:00.000Z',
    data: { kind: 'session', date: '2027-01-05', rating: '5', wentWell: 'We set three goals' },
  };
  const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': `r-${pair}.1` };
  expect((await page.request.post(`${BASE}/api/records`, { headers, data: record })).status()).toBe(401);
  const sent = await page.request.post(`${BASE}/api/records`, { headers: { ...headers, Authorization: `Bearer ${invitation}` }, data: record });
  expect(sent.status()).toBe(201);

  await page.getByRole('link', { name: "The pair's page" }).click();
  await expect(page.getByRole('table')).toContainText(`r-${pair}`);
  await expectAccessible(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export everything held about the mentee (JSON)' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8'));
  expect(exported.name).toBe('Rosalind Mentee');
  expect(exported.records.map((r) => r.record.data.wentWell)).toEqual(['We set three goals']);

  await page.getByLabel(/erase the mentee's name/).check();
  await page.getByRole('button', { name: 'Erase the mentee' }).click();
  await expect(page.getByRole('status')).toHaveText('Everything held about the mentee was erased.');
  await expect(page.getByText('Rosalind Mentee')).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Audit log' }).click();
  const log = page.getByRole('table');
  await expect(log).toContainText(`pair ${pair}, mentee`);
  await expect(log).toContainText('Erased a person');
  await expect(log).toContainText("Exported a person's data");
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${BASE}/sign-in`);
  expect(refused).toEqual([]);
});
