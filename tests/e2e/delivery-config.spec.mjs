// How a host configures delivery, end to end: the storage modes, headers and
// credentials on the wire, a deliver() function instead of a URL, two tabs
// sharing one outbox under a Web Lock, and the keepalive pass when the page
// is hidden.
import { test, expect, open, reload, checkRecordBody, receivedRows, fillSession as fillShared } from './helpers.mjs';

const NAMESPACE = 'harbourlight';
const LOCK = `mentorkit:${NAMESPACE}:outbox:feedback`;
const PRIVATE = 'PRIVATE-5c2e: mine alone';
const COORDINATOR = 'Coordinator-only 83f1';

const fillSession = (widget) => fillShared(widget, { rating: '3', privateNote: PRIVATE, coordinatorNote: COORDINATOR });

async function save(widget) {
  await widget.getByRole('button', { name: 'Save', exact: true }).click();
}

/** Sets the feedback widget's attributes before anything is submitted. */
async function configure(page, attributes) {
  await page.locator('mentorkit-feedback').evaluate((el, a) => {
    for (const [name, value] of Object.entries(a)) {
      if (value === null) el.removeAttribute(name);
      else el.setAttribute(name, value);
    }
  }, attributes);
}

/** Every value in the page's storage, as one text. */
async function stored(page) {
  return page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
}

/** Holds the outbox's Web Lock in `page` until `release` is called there. */
async function holdLock(page) {
  await page.evaluate((name) => new Promise((held) => {
    navigator.locks.request(name, () => { held(); return new Promise((r) => { window.__release = r; }); });
  }), LOCK);
}

/** Records every fetch the page makes, with its keepalive and credentials. */
async function recordFetches(page) {
  await page.addInitScript(() => {
    const original = window.fetch;
    window.__fetches = [];
    window.fetch = function (input, init) {
      window.__fetches.push({ url: String(input), keepalive: Boolean(init && init.keepalive) });
      return original.apply(this, arguments);
    };
  });
}

test('storage="local" keeps records here and sends nothing', async ({ page }) => {
  await open(page, '/#feedback');
  await configure(page, { storage: 'local' });
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await expect(widget.getByRole('tab', { name: 'History (1)' })).toBeVisible();
  await page.waitForTimeout(1_500);
  expect(page.sentRecords).toHaveLength(0);
  expect(await page.evaluate((ns) => localStorage.getItem(`mentorkit:${ns}:delivery:outbox`), NAMESPACE)).toBeNull();
  await expect(widget.locator('[part=delivery]')).toHaveText('');
});

test('storage="endpoint" sends the record and keeps nothing of it once sent', async ({ page }) => {
  await open(page, '/#feedback');
  await configure(page, { storage: 'endpoint', endpoint: `/api/records?lane=endpoint-only-${Date.now()}` });
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.', { timeout: 10_000 });
  const outbox = await page.evaluate((ns) => JSON.parse(localStorage.getItem(`mentorkit:${ns}:delivery:outbox`)), NAMESPACE);
  const id = outbox.data.at(-1).id;
  expect(await receivedRows(page, id)).toHaveLength(1);
  // The outbox remembers that it was sent, not what it said; no record list.
  const kept = await stored(page);
  expect(kept).not.toContain(COORDINATOR);
  expect(kept).not.toContain(PRIVATE);
  expect(kept).toContain(id);
  await reload(page);
  await configure(page, { storage: 'endpoint' });
  await expect(widget.getByRole('tab', { name: /^History/ })).toHaveAccessibleName('History');
});

test('storage="endpoint" still keeps an unsent record in the outbox over a reload', async ({ page }) => {
  await page.route('**/api/records**', (route) => route.abort('connectionrefused'));
  await open(page, '/#feedback');
  await configure(page, { storage: 'endpoint' });
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Waiting to be sent', { timeout: 10_000 });
  await reload(page);
  expect(await stored(page)).toContain(COORDINATOR);
  await page.unroute('**/api/records**');
  await configure(page, { storage: 'endpoint', endpoint: `/api/records?lane=endpoint-kept-${Date.now()}` });
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.', { timeout: 15_000 });
  expect(await stored(page)).not.toContain(COORDINATOR);
});

test('headers from the property and credentials from the attribute reach the endpoint; none sit in the HTML', async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: 'programme_session', value: 'cookie-9d4', url: baseURL }]);
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await widget.evaluate((el, lane) => {
    el.endpoint = `/api/records?lane=${lane}`;
    el.headers = { 'X-Programme-Key': 'key-4471' };
  }, `headers-${Date.now()}`);
  expect(await widget.evaluate((el) => el.outerHTML)).not.toContain('key-4471');

  const first = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/api/records'));
  await fillSession(widget);
  await save(widget);
  const omitted = await (await first).allHeaders();
  expect(omitted['x-programme-key']).toBe('key-4471');
  expect(omitted['content-type']).toBe('application/json');
  expect(omitted['idempotency-key']).toMatch(/^[\w-]+\.\d+$/);
  expect(omitted.cookie, 'credentials are omitted unless asked for').toBeUndefined();
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.', { timeout: 10_000 });

  await configure(page, { credentials: 'include' });
  const second = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/api/records'));
  await widget.getByRole('tab', { name: 'New entry' }).click();
  await fillSession(widget);
  await save(widget);
  const included = await (await second).allHeaders();
  expect(included.cookie).toContain('programme_session=cookie-9d4');
  expect(included['x-programme-key']).toBe('key-4471');
});

test('a deliver() function takes the record instead of a URL; its refusal waits for the person', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await configure(page, { endpoint: null });
  await widget.evaluate((el) => {
    window.__delivered = [];
    window.__calls = 0;
    // The first call fails as a network would; the second is accepted.
    el.deliver = (record) => {
      window.__calls += 1;
      if (window.__calls === 1) return Promise.reject(new TypeError('the network is down'));
      window.__delivered.push(record);
      return Promise.resolve();
    };
  });
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.', { timeout: 10_000 });
  const delivered = await page.evaluate(() => window.__delivered);
  expect(delivered).toHaveLength(1);
  expect(await page.evaluate(() => window.__calls)).toBe(2);
  expect(checkRecordBody(JSON.stringify(delivered[0]))).toBeNull();
  expect(delivered[0].kind).toBe('session');
  expect(page.sentRecords, 'no request to a URL').toHaveLength(0);

  // A rejection carrying an HTTP status is treated as that answer.
  await widget.evaluate((el) => {
    el.deliver = () => Promise.reject({ status: 422, message: 'the cohort is missing' });
  });
  await widget.getByRole('tab', { name: 'New entry' }).click();
  await fillSession(widget);
  await save(widget);
  const attention = widget.locator('.attention');
  await expect(attention).toContainText('the cohort is missing (422)', { timeout: 10_000 });
  await widget.evaluate((el) => { el.deliver = (record) => { window.__delivered.push(record); return Promise.resolve(); }; });
  await attention.getByRole('button', { name: 'Try again' }).click();
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.', { timeout: 10_000 });
  expect(await page.evaluate(() => window.__delivered.length)).toBe(2);
});

test('two tabs share one outbox: nothing is sent while the other holds it, then each record once', async ({ page, context }) => {
  // Each tab that finds the outbox held looks again five seconds later.
  test.setTimeout(60_000);
  const lane = `tabs-${Date.now()}`;
  const requests = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/records')) requests.push(r.headers()['idempotency-key']);
  });
  await page.addInitScript((name) => {
    const request = navigator.locks.request.bind(navigator.locks);
    window.__lockTries = 0;
    navigator.locks.request = (...args) => { if (args[0] === name) window.__lockTries += 1; return request(...args); };
  }, LOCK);
  await open(page, '/#feedback');
  const other = await context.newPage();
  await open(other, '/#feedback');
  for (const tab of [page, other]) await configure(tab, { endpoint: `/api/records?lane=${lane}` });
  await holdLock(other);

  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await widget.getByRole('tab', { name: 'New entry' }).click();
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Waiting to be sent');
  // The other tab's widget wants to send too (as on coming back online).
  await other.evaluate(() => window.dispatchEvent(new Event('online')));
  const tries = await page.evaluate(() => window.__lockTries);
  await page.waitForTimeout(1_500);
  expect(requests, 'the other tab holds the outbox').toHaveLength(0);
  expect(await page.evaluate(() => window.__lockTries), 'it waits before looking again').toBe(tries);

  await other.evaluate(() => window.__release());
  for (const tab of [page, other]) {
    await expect(tab.locator('mentorkit-feedback [part=delivery]')).toContainText('Sent to the programme.', { timeout: 15_000 });
  }
  expect(requests).toHaveLength(2);
  expect(new Set(requests).size).toBe(2);
  await other.close();
});

test('a record a closed tab left half sent goes on the next visit, not minutes later', async ({ context }) => {
  test.setTimeout(60_000);
  const lane = `left-${Date.now()}`;
  const page = await context.newPage();
  await open(page, '/#feedback');
  await configure(page, { endpoint: `/api/records?lane=${lane}` });
  // The tab is closed while its record is on the wire: no answer ever comes.
  let asked;
  const onTheWire = new Promise((resolve) => { asked = resolve; });
  await page.route('**/api/records**', (route) => { if (route.request().method() === 'POST') asked(); else route.continue(); });
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await onTheWire;
  await expect(widget.locator('[part=delivery]')).toContainText('Sending');
  await page.close();

  const requests = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes(lane)) requests.push(r.headers()['idempotency-key']);
  });
  const next = await context.newPage();
  await open(next, '/#feedback');
  await configure(next, { endpoint: `/api/records?lane=${lane}` });
  // An attempt gives up after 15 s, so a mark older than 20 s was left by a
  // tab that went away: the record goes then, not minutes later.
  await expect(next.locator('mentorkit-feedback [part=delivery]')).toContainText('Sent to the programme.', { timeout: 30_000 });
  expect(requests).toHaveLength(1);
  await next.close();
});

test('when the page is hidden, waiting records go at once with keepalive', async ({ page }) => {
  await recordFetches(page);
  await open(page, '/#feedback');
  await configure(page, { endpoint: `/api/records?lane=hidden-${Date.now()}` });
  await holdLock(page);
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Waiting to be sent');
  // The lock is let go and the page hidden at once: the hidden pass sends,
  // well before the next ordinary look five seconds later.
  await page.evaluate(async (name) => {
    window.__release();
    while ((await navigator.locks.query()).held.some((lock) => lock.name === name)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, LOCK);
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.', { timeout: 3_000 });
  const fetches = await page.evaluate(() => window.__fetches.filter((f) => f.url.includes('/api/records')));
  expect(fetches).toHaveLength(1);
  expect(fetches[0].keepalive).toBe(true);
  expect(fetches[0].url, 'sent by the widget that made it, to its endpoint').toContain('lane=hidden-');
});

test('when the page is hidden, a record waiting for a later try goes too, with keepalive', async ({ page }) => {
  await recordFetches(page);
  let answers = 0;
  await page.route('**/api/records**', (route) => (answers++ === 0 ? route.fulfill({ status: 503, headers: { 'Retry-After': '3600' }, body: 'busy' }) : route.continue()));
  await open(page, '/#feedback');
  await configure(page, { endpoint: `/api/records?lane=hidden-later-${Date.now()}` });
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Waiting to be sent', { timeout: 10_000 });
  await expect.poll(() => answers).toBe(1);
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect(widget.getByText(/^Sent to the programme\./)).toBeVisible({ timeout: 3_000 });
  const fetches = await page.evaluate(() => window.__fetches.filter((f) => f.url.includes('/api/records')));
  expect(fetches.map((f) => f.keepalive)).toEqual([false, true]);
});

test('back online, a record waiting for a later try goes at once', async ({ page, context }) => {
  let answers = 0;
  await page.route('**/api/records**', (route) => (answers++ === 0 ? route.fulfill({ status: 503, headers: { 'Retry-After': '3600' }, body: 'busy' }) : route.continue()));
  await open(page, '/#feedback');
  await configure(page, { endpoint: `/api/records?lane=online-${Date.now()}` });
  const widget = page.locator('mentorkit-feedback');
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Waiting to be sent', { timeout: 10_000 });
  await expect.poll(() => answers).toBe(1);
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(widget.getByText(/^Sent to the programme\./)).toBeVisible({ timeout: 3_000 });
  expect(answers).toBe(2);
});

test('a header no browser can send is refused when it is set, by name, and the record still goes', async ({ page }) => {
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  const error = widget.evaluate((el) => new Promise((resolve) => el.addEventListener('mentorkit-error', (e) => resolve(e.detail), { once: true })));
  await widget.evaluate((el, lane) => {
    el.endpoint = `/api/records?lane=${lane}`;
    el.headers = { 'X-Programme-Key': 'key-1', 'Bad Header': 'x' };
  }, `bad-header-${Date.now()}`);
  const detail = await error;
  expect(detail.code).toBe('headers-invalid');
  expect(detail.message).toContain('"Bad Header"');
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/api/records'));
  await fillSession(widget);
  await save(widget);
  expect((await (await sent).allHeaders())['x-programme-key'], 'none of the refused headers is used').toBeUndefined();
  await expect(widget.getByText(/^Sent to the programme\./)).toBeVisible({ timeout: 10_000 });
});

test('a host deliver() that never settles counts as no answer in time, and the next attempt can succeed', async ({ page }) => {
  await page.clock.install();
  await open(page, '/#feedback');
  const widget = page.locator('mentorkit-feedback');
  await page.evaluate(() => {
    window.__calls = 0;
    document.querySelector('mentorkit-feedback').deliver = () => (window.__calls++ === 0 ? new Promise(() => {}) : Promise.resolve());
  });
  await fillSession(widget);
  await save(widget);
  await expect(widget.locator('[part=delivery]')).toContainText('Sending');
  await page.clock.runFor(16_000);
  await expect.poll(() => page.evaluate(() => window.__calls)).toBeGreaterThan(1);
  await expect(widget.locator('[part=delivery]')).toContainText('Sent to the programme.');
});
