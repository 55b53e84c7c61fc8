// Shared steps for the end-to-end tests.
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import Ajv from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fs from 'node:fs';

// Every record any test sends to an endpoint is checked against the published
// JSON Schema of its kind, and for private notes, after the test.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validators = Object.fromEntries(['agreement', 'session', 'checkin', 'closing'].map((kind) => [
  kind, ajv.compile(JSON.parse(fs.readFileSync(new URL(`../../schemas/record.${kind}.schema.json`, import.meta.url), 'utf8'))),
]));

/** Checks one request body; returns what is wrong with it, if anything. */
export function checkRecordBody(body) {
  if (/PRIVATE-/.test(body)) return 'a private note was sent';
  let record;
  try { record = JSON.parse(body); } catch { return `not JSON: ${body.slice(0, 80)}`; }
  const validate = validators[record.kind];
  if (!validate) return `unknown kind ${record.kind}`;
  return validate(record) ? null : `${record.kind}: ${ajv.errorsText(validate.errors)}`;
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    const sent = [];
    page.on('request', (request) => {
      if (request.method() !== 'POST' || !new URL(request.url()).pathname.startsWith('/api/records')) return;
      const body = request.postData() || '';
      sent.push(body);
      const problem = checkRecordBody(body);
      if (problem) problems.push(problem);
    });
    page.sentRecords = sent;
    await use(page);
    expect(problems, 'every record sent matches its JSON Schema and carries no private note').toEqual([]);
  },
});
export { expect };

/** Shows every question of a session, not only the quick part (once shown, remembered). */
export async function allQuestions(widget) {
  const more = widget.getByRole('button', { name: /^More questions/ });
  if (await more.count()) await more.click();
}

/**
 * Fills a held session in the feedback `widget` with a rating and both notes;
 * who is answering is asked once, then remembered.
 */
export async function fillSession(widget, { rating, privateNote, coordinatorNote }) {
  const mentee = widget.getByRole('radio', { name: 'Mentee', exact: true });
  if (await mentee.count()) await mentee.check();
  await widget.getByRole('radio', { name: rating, exact: true }).first().check();
  await allQuestions(widget);
  await widget.getByLabel('Private note').fill(privateNote);
  await widget.getByLabel('Note for the programme coordinator').fill(coordinatorNote);
}

/** The rows the demo receiver stored for record `id`. */
export async function receivedRows(page, id) {
  const all = await (await page.request.get('/api/received')).json();
  return all.filter((r) => r.id === id);
}

/** Opens `path` and waits for its widgets; returns the page errors seen from then on. */
export async function open(page, path = '/') {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(path);
  await drawn(page);
  return errors;
}

/** Serves the files matching `glob` with a line added: what their hash no longer matches. */
export async function alter(page, glob) {
  await page.route(glob, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ status: 200, contentType: 'text/javascript', body: `${await response.text()}\n// altered\n` });
  });
}

/** Reloads the page and waits for its widgets. */
export async function reload(page) {
  await page.reload();
  await drawn(page);
}

/** Waits until every widget on the page has drawn its first field. */
export async function drawn(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('mentorkit-agreement, mentorkit-feedback')]
    .every((el) => el.shadowRoot && el.shadowRoot.querySelector('input')));
}

/** Runs axe on one widget and expects no violations of WCAG 2.2 A/AA. */
export async function expectNoAxeViolations(page, selector) {
  const results = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

/** Presses Tab (Shift+Tab when `back`) until the focused element inside a shadow root has `name`. */
export async function tabTo(page, name, limit = 40, back = false) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate(() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el && (el.getAttribute('name') || el.textContent.trim());
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/** The name (or text) of the element focused inside shadow roots. */
export async function focusedName(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el && (el.getAttribute('name') || el.getAttribute('data-focus') || el.textContent.trim());
  });
}
