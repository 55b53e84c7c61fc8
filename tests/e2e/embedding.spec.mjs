// The embedding surface: attributes and properties, methods, events, the JS
// module API, themes, languages, hostile host pages and CSP.
import { test, expect, open, drawn, alter, expectNoAxeViolations, allQuestions } from './helpers.mjs';

/** Mounts a fresh element of `tag` with `attributes` on the docs index page. */
async function fresh(page, tag, attributes) {
  await open(page, '/docs/js-api.html');
  await page.evaluate(async ([tag, attributes]) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
    el.id = 'under-test';
    document.querySelector('main').prepend(el);
    await el.ready;
  }, [tag, attributes]);
  return page.locator('#under-test');
}

test('attributes are mirrored by properties, and the methods act as the widget\'s own controls', async ({ page }) => {
  const el = await fresh(page, 'mentorkit-agreement', { namespace: 'e2e-surface' });
  const mirrored = await el.evaluate((el) => {
    el.theme = 'dark';
    el.locale = 'en-GB';
    return { theme: el.getAttribute('theme'), locale: el.getAttribute('locale'), ns: el.namespace, role: el.getAttribute('role') };
  });
  expect(mirrored).toEqual({ theme: 'dark', locale: 'en-GB', ns: 'e2e-surface', role: null });

  // validate() reports without showing anything.
  const before = await el.evaluate((el) => el.validate());
  expect(before.valid).toBe(false);
  expect(before.problems).toContainEqual(expect.objectContaining({ path: 'mentee.name', code: 'Required', label: 'Mentee – Full name', message: 'Please fill this in.' }));
  await expect(el.getByRole('alert')).toHaveCount(0);

  // submit() is the Next button: the same check, the problems shown, focus on the first.
  await el.evaluate((el) => el.submit());
  await expect(el.getByRole('textbox', { name: 'Full name' }).first()).toHaveAttribute('aria-invalid', 'true');
  await expect(el.getByRole('textbox', { name: 'Full name' }).first()).toBeFocused();

  // value = … replaces the data and redraws; the draft is saved like an edit.
  const changes = el.evaluate((el) => new Promise((resolve) => el.addEventListener('mentorkit-change', (e) => resolve({ detail: e.detail, composed: e.composed, bubbles: e.bubbles }), { once: true })));
  await el.evaluate((el) => { el.value = { ...el.value, 'mentee.name': 'Ama <b>Owusu</b>', 'mentor.name': 'Rui Costa', 'nonsense.path': 'x' }; });
  await expect(el.getByRole('textbox', { name: 'Full name' }).first()).toHaveValue('Ama <b>Owusu</b>');
  const change = await changes;
  expect(change).toMatchObject({ bubbles: true, composed: true, detail: { 'mentee.name': 'Ama <b>Owusu</b>' } });
  expect(change.detail['nonsense.path']).toBeUndefined();
  await el.evaluate((el) => el.submit());
  await expect(el.getByRole('heading', { name: 'What this mentoring is for' })).toBeVisible();

  // export(format) gives the text; an unknown format throws a coded error.
  const md = await el.evaluate((el) => el.export('md'));
  expect(md).toContain('Ama \\<b\\>Owusu\\</b\\>');
  const thrown = await el.evaluate((el) => { try { el.export('pdf'); } catch (e) { return { name: e.name, code: e.code, message: e.message }; } });
  expect(thrown).toMatchObject({ name: 'MentorkitError', code: 'format-unknown' });
  expect(thrown.message).toContain('md, html, txt, ics or json');

  // reset() starts again without asking, and leaves focus where it was.
  await page.locator('#api-mount').focus();
  await el.evaluate((el) => el.reset());
  await expect(el.getByRole('textbox', { name: 'Full name' }).first()).toHaveValue('');
  await expect(page.locator('#api-mount')).toBeFocused();

  // A method called before the widget has started says what to do.
  const early = await page.evaluate(() => {
    const el = document.createElement('mentorkit-feedback');
    try { el.validate(); } catch (e) { return e.code; }
  });
  expect(early).toBe('not-ready');
});

test('the feedback form: value keeps the private note, export gives the history, submit saves', async ({ page }) => {
  const el = await fresh(page, 'mentorkit-feedback', { namespace: 'e2e-feedback-api', respondent: 'mentee' });
  await allQuestions(el);
  await el.getByLabel('Private note').fill('PRIVATE-kept');
  const value = await el.evaluate((el) => el.value);
  expect(JSON.stringify(value)).not.toContain('PRIVATE-kept');
  const submitted = el.evaluate((el) => new Promise((resolve) => el.addEventListener('mentorkit-submit', (e) => resolve(e.detail), { once: true })));
  await el.evaluate((el) => { el.value = { ...el.value, rating: '4', topics: 'Portfolio' }; el.submit(); });
  const detail = await submitted;
  expect(detail.record.data).toMatchObject({ rating: '4', topics: 'Portfolio' });
  expect(JSON.stringify(detail)).not.toContain('PRIVATE');
  const shared = await el.evaluate((el) => el.export('csv'));
  const full = await el.evaluate((el) => el.export('csv', { full: true }));
  expect(shared).toContain('Portfolio');
  expect(shared).not.toContain('PRIVATE-kept');
  expect(full).toContain('PRIVATE-kept');
});

test('mount() and destroy() 200 times after settling: the wasm memory and the listener count do not grow', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page, '/docs/js-api.html');
  const cdp = await page.context().newCDPSession(page);
  const listeners = async () => {
    let total = 0;
    for (const expression of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      total += (await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId })).listeners.length;
    }
    return total;
  };
  const cycle = (n) => page.evaluate(async (n) => {
    const { mount, memoryBytes } = await import('/pkg/mentorkit-elements.js');
    const target = document.querySelector('#api-target');
    for (let i = 0; i < n; i++) {
      const kind = i % 2 ? 'feedback' : 'agreement';
      const widget = await mount(target, { kind, namespace: 'e2e-remount', endpoint: '/api/records', on: { change() {} } });
      widget.value = { ...widget.value, 'mentee.name': `Cycle ${i}` };
      widget.destroy();
      // One task per cycle, as a page would: a widget's last look at the
      // outbox (a Web Lock request) finishes after it is gone.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (target.children.length) throw new Error('destroy left elements behind');
    return memoryBytes();
  }, n);
  const idle = await listeners();
  // The allocator and caches settle: the heap takes its last page after some
  // hundreds of cycles (when depends on how allocations fall, and on how
  // busy the machine is) and then keeps to it. Settled means four hundred
  // cycles in a row added nothing; a leak never settles.
  let settled = await cycle(200);
  let rounds = 0;
  for (let same = 0; same < 2 && rounds < 20; rounds++) {
    const next = await cycle(200);
    same = next === settled ? same + 1 : 0;
    settled = next;
  }
  expect(rounds, 'the heap settles: four hundred cycles in a row add nothing (a leak never does)').toBeLessThan(20);
  const memoryBefore = await cycle(1);
  const listenersBefore = await listeners();
  const memoryAfter = await cycle(200);
  const listenersAfter = await listeners();
  console.log(`remount ×200: wasm memory ${memoryBefore} → ${memoryAfter} bytes; window+document listeners ${idle} idle, ${listenersBefore} → ${listenersAfter}`);
  expect(memoryAfter).toBe(memoryBefore);
  expect(listenersAfter).toBe(listenersBefore);
  expect(listenersAfter).toBe(idle);
});

test('mount() rejects bad options with a coded error, and the handle dies with destroy()', async ({ page }) => {
  await open(page, '/docs/js-api.html');
  const codes = await page.evaluate(async () => {
    const { mount } = await import('/pkg/mentorkit-elements.js');
    const target = document.querySelector('#api-target');
    const code = async (f) => { try { await f(); return 'no error'; } catch (e) { return e.code; } };
    const widget = await mount(target, { kind: 'agreement', namespace: 'e2e-handle' });
    widget.destroy();
    return [
      await code(() => mount(null)),
      await code(() => mount(target, { kind: 'survey' })),
      await code(() => mount(target, { colour: 'red' })),
      await code(() => widget.validate()),
    ];
  });
  expect(codes).toEqual(['target-invalid', 'kind-invalid', 'option-unknown', 'destroyed']);
});

test('--mentorkit-accent and ::part(button) from the host change the look', async ({ page }) => {
  await open(page, '/docs/theming.html');
  const styled = page.locator('mentorkit-feedback.plum');
  const plain = page.locator('mentorkit-feedback[theme=dark]');
  const look = (el) => el.evaluate((el) => {
    const button = el.shadowRoot.querySelector('button[part~=primary]');
    const s = getComputedStyle(button);
    return { background: s.backgroundColor, transform: s.textTransform, radius: s.borderTopLeftRadius };
  });
  expect(await look(styled)).toEqual({ background: 'rgb(122, 31, 92)', transform: 'uppercase', radius: '14px' });
  const other = await look(plain);
  expect(other.transform).toBe('none');
  expect(other.background).not.toBe('rgb(122, 31, 92)');
});

test('a hostile host stylesheet does not break the layout or the controls', async ({ page }) => {
  const measure = (el) => el.evaluate((el) => {
    const r = el.shadowRoot;
    const box = (s) => { const b = r.querySelector(s).getBoundingClientRect(); return { w: Math.round(b.width), h: Math.round(b.height) }; };
    const style = (s) => getComputedStyle(r.querySelector(s));
    return {
      base: box('[part~=base]'), input: box('input[type=text]'), next: box('button[part~=primary]'),
      inputBorder: style('input[type=text]').borderTopWidth, inputFont: style('input[type=text]').fontSize,
      label: style('label').textTransform, button: style('button[part~=primary]').backgroundColor,
    };
  });
  await page.setViewportSize({ width: 800, height: 900 });
  await open(page, '/docs/hostile-host.html');
  const hostile = await measure(page.locator('mentorkit-agreement'));
  await open(page, '/docs/index.html');
  const calm = await measure(page.locator('mentorkit-agreement').first());
  expect(hostile.inputBorder).toBe('1px');
  expect(hostile.inputFont).toBe('16px');
  expect(hostile.label).toBe('none');
  expect(hostile.button).toBe(calm.button);
  expect(hostile.input).toEqual(calm.input);
  expect(hostile.next).toEqual(calm.next);
  expect(hostile.base.w).toBeGreaterThan(600);

  // And it works by keyboard there.
  await open(page, '/docs/hostile-host.html');
  const agreement = page.locator('mentorkit-agreement');
  await agreement.getByRole('textbox', { name: 'Full name' }).first().focus();
  await page.keyboard.type('Ama Owusu');
  await agreement.getByRole('group', { name: 'Mentor' }).getByRole('textbox', { name: 'Full name' }).focus();
  await page.keyboard.type('Rui Costa');
  await page.keyboard.press('Enter');
  await expect(agreement.getByRole('heading', { name: 'What this mentoring is for' })).toBeVisible();
  await expectNoAxeViolations(page, 'mentorkit-agreement');
});

test('light, dark and Arabic: screenshots of both widgets, and axe finds nothing in any', async ({ page }, info) => {
  await page.setViewportSize({ width: 720, height: 1000 });
  for (const [scheme, locale] of [['light', 'en'], ['dark', 'en'], ['light', 'ar']]) {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page, '/docs/js-api.html');
    await page.evaluate(async (locale) => {
      // A page that offers both schemes: the widgets follow the reader's.
      document.documentElement.style.colorScheme = 'light dark';
      const main = document.querySelector('main');
      main.replaceChildren();
      for (const tag of ['mentorkit-agreement', 'mentorkit-feedback']) {
        const el = document.createElement(tag);
        el.setAttribute('namespace', 'e2e-looks');
        el.setAttribute('locale', locale);
        el.setAttribute('respondent', 'mentee');
        main.append(el);
        await el.ready;
      }
    }, locale);
    await drawn(page);
    for (const tag of ['mentorkit-agreement', 'mentorkit-feedback']) {
      const el = page.locator(tag);
      const base = el.locator('[part~=base]');
      expect(await base.getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      expect(await base.getAttribute('lang')).toBe(locale);
      const background = await base.evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(23, 27, 34)' : 'rgb(255, 255, 255)');
      await el.screenshot({ path: info.outputPath(`${tag}-${scheme}-${locale}.png`) });
      await expectNoAxeViolations(page, tag);
    }
    if (locale === 'ar') {
      // Right to left: the Next button sits at the left edge, the title at the right.
      const next = await page.locator('mentorkit-agreement').getByRole('button', { name: 'التالي' }).boundingBox();
      const title = await page.locator('mentorkit-agreement').getByRole('heading', { level: 2 }).boundingBox();
      expect(next.x).toBeLessThan(title.x);
    }
  }
});

test('the widget follows the page: a light page keeps it light for a reader in dark mode', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const el = await fresh(page, 'mentorkit-feedback', { namespace: 'e2e-theme-page' });
  const background = () => el.locator('[part~=base]').evaluate((b) => getComputedStyle(b).backgroundColor);
  expect(await background(), 'the page says nothing of dark: light').toBe('rgb(255, 255, 255)');
  await page.evaluate(() => { document.documentElement.style.colorScheme = 'light dark'; });
  expect(await background(), 'the page offers dark: the reader gets it').toBe('rgb(23, 27, 34)');
  await page.evaluate(() => { document.documentElement.style.colorScheme = 'dark'; });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(), 'a dark page: dark').toBe('rgb(23, 27, 34)');
});

test('theme="dark" wins over a light preference, and theme="light" over a dark one', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const el = await fresh(page, 'mentorkit-feedback', { namespace: 'e2e-theme', theme: 'light' });
  const background = () => el.locator('[part~=base]').evaluate((b) => getComputedStyle(b).backgroundColor);
  expect(await background()).toBe('rgb(255, 255, 255)');
  await el.evaluate((el) => { el.theme = 'dark'; });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(23, 27, 34)');
});

test('each language is complete on screen, switching keeps what was typed, and a programme relabels', async ({ page }) => {
  const el = await fresh(page, 'mentorkit-agreement', { namespace: 'e2e-languages' });
  await el.getByRole('textbox', { name: 'Full name' }).first().fill('Ama Owusu');
  const seen = {};
  for (const [locale, next] of [['es', 'Siguiente'], ['fr', 'Suivant'], ['de', 'Weiter'], ['ar', 'التالي'], ['en', 'Next']]) {
    await el.evaluate((el, locale) => { el.locale = locale; }, locale);
    await expect(el.getByRole('button', { name: next, exact: true })).toBeVisible();
    seen[locale] = await el.locator('[part~=base]').innerText();
    await expect(el.locator('input[name="mentee.name"]')).toHaveValue('Ama Owusu');
  }
  // No English left in the other languages' first step (apart from shared words).
  for (const locale of ['es', 'fr', 'de', 'ar']) {
    for (const english of ['Who this agreement is between', 'Full name', 'Email or phone', 'Preview of the agreement', 'Start over']) {
      expect(seen[locale], `${locale} still shows "${english}"`).not.toContain(english);
    }
  }
  // A date is written by Intl in the widget's language.
  await el.evaluate((el) => { el.locale = 'de'; el.value = { ...el.value, 'term.start': '2026-12-01' }; });
  expect(await el.evaluate((el) => el.export('txt'))).toContain('1. Dezember 2026');

  await open(page, '/docs/languages.html');
  const relabelled = page.locator('#lang-labels');
  await expect(relabelled.getByRole('heading', { name: 'Wie war euer Treffen?' })).toBeVisible();
  await expect(relabelled.getByRole('button', { name: 'Abschicken' })).toBeVisible();
  await expect(relabelled.getByLabel('Wann trefft ihr euch wieder?')).toBeVisible();
});

test('forced colours: state shown by colour alone gets an outline, and targets stay at least 24px', async ({ page }, info) => {
  await page.emulateMedia({ forcedColors: 'active' });
  const el = await fresh(page, 'mentorkit-agreement', { namespace: 'e2e-forced' });
  const current = await el.locator('.steps > ol button[aria-current]').evaluate((b) => getComputedStyle(b).outlineStyle);
  expect(current).toBe('solid');
  await el.evaluate((el) => el.submit());
  const invalid = await el.locator('[aria-invalid=true]').first().evaluate((i) => getComputedStyle(i).borderTopStyle);
  expect(invalid).toBe('dashed');
  const small = await el.evaluate((el) => [...el.shadowRoot.querySelectorAll('button, input[type=radio], input[type=checkbox]')]
    .map((c) => c.getBoundingClientRect()).filter((r) => r.width && (r.width < 24 || r.height < 24)).length);
  expect(small).toBe(0);
  await el.screenshot({ path: info.outputPath('agreement-forced-colours.png') });
});

test('a changed config attribute is fetched and applied, unless the programme property is set', async ({ page }) => {
  await page.route('**/other-programme.json', (route) => route.fulfill({ json: { name: 'Other Programme' } }));
  const el = await fresh(page, 'mentorkit-agreement', { namespace: 'e2e-config', config: '/programme.json' });
  const name = el.getByRole('textbox', { name: 'Programme name' });
  await expect(name).toHaveValue(/Harbourlight/);
  await el.evaluate((el) => { el.config = '/other-programme.json'; });
  await expect(name).toHaveValue('Other Programme');
  await el.evaluate((el) => { el.programme = { name: 'Set By Property' }; el.config = '/programme.json'; });
  await expect(name).toHaveValue('Set By Property');
  await page.waitForTimeout(300);
  await expect(name).toHaveValue('Set By Property');
});

test('the helpers need no DOM: they run in a module worker', async ({ page }) => {
  await open(page, '/docs/js-api.html');
  const answer = await page.evaluate(() => new Promise((resolve, reject) => {
    const source = `
      import { validateAgreement, renderAgreement } from '${location.origin}/pkg/mentorkit-elements.js';
      const data = { 'mentee.name': 'Ama', 'mentor.name': 'Rui', 'term.start': '2026-12-01' };
      const checked = await validateAgreement(data, { locale: 'fr' });
      const text = await renderAgreement(data, 'txt', { locale: 'de' });
      postMessage({ valid: checked.valid, message: checked.problems[0].message, text });`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message));
  }));
  expect(answer.valid).toBe(false);
  expect(answer.message).toBe('Merci de remplir ce champ.');
  expect(answer.text).toContain('1. Dezember 2026');
});

test('a page that asks for the modules in its head downloads each once, and its widgets use them', async ({ page }) => {
  const asked = [];
  const warnings = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) asked.push(r.url().split('/').pop()); });
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  await open(page, '/');
  const preloaded = await page.evaluate(() => [...document.querySelectorAll('link[rel=preload][as=fetch]')].map((l) => l.href.split('/').pop()));
  expect(preloaded).toEqual(['mentorkit_agreement_bg.wasm', 'mentorkit_feedback_bg.wasm']);
  await page.evaluate(() => Promise.all([...document.querySelectorAll('mentorkit-agreement, mentorkit-feedback')].map((el) => el.ready)));
  // Chrome warns about a preload left unused a few seconds after the load.
  await page.waitForTimeout(3500);
  for (const file of preloaded) expect(asked.filter((f) => f === file), file).toHaveLength(1);
  expect(warnings.filter((w) => /preload/i.test(w))).toEqual([]);
  await expect(page.locator('mentorkit-agreement').locator('input[name="mentee.name"]')).toBeVisible();
  await expect(page.locator('mentorkit-feedback').getByRole('radio', { name: 'Mentee', exact: true })).toBeVisible();
});

test('a one-widget script defines only its widget, fetches only its modules, and mounts only its kind', async ({ page }) => {
  const asked = [];
  page.on('request', (r) => { if (/\.(wasm|js)$/.test(r.url())) asked.push(r.url().split('/').pop()); });
  await page.route('**/one-widget.html', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>One widget</title>
<script type="module" src="/pkg/mentorkit-feedback.js"></script></head><body><main><h1>Feedback</h1>
<mentorkit-feedback namespace="one-${Date.now()}"></mentorkit-feedback><div id="more"></div></main></body></html>` }));
  await page.goto('/one-widget.html');
  await page.evaluate(() => document.querySelector('mentorkit-feedback').ready);
  await expect(page.locator('mentorkit-feedback').getByRole('radio', { name: 'Mentee', exact: true })).toBeVisible();
  // The element alone never needs the JS API's script.
  expect(asked).not.toContain('mentorkit_api.js');
  const found = await page.evaluate(async () => {
    const api = await import('/pkg/mentorkit-feedback.js');
    const mounted = await api.mount(document.querySelector('#more'), { namespace: 'one-mounted' });
    let refused = null;
    try { await api.mount(document.querySelector('#more'), { kind: 'agreement' }); } catch (error) { refused = [error.name, error.code, error.message]; }
    return {
      agreementDefined: Boolean(customElements.get('mentorkit-agreement')),
      mountedTag: mounted.element.localName,
      refused,
      exported: Object.keys(api).sort(),
    };
  });
  expect(found.agreementDefined).toBe(false);
  expect(found.mountedTag).toBe('mentorkit-feedback');
  expect(found.refused.slice(0, 2)).toEqual(['MentorkitError', 'kind-unavailable']);
  expect(found.refused[2]).toContain('mentorkit-agreement.js');
  expect(found.exported).toEqual(['memoryBytes', 'mount', 'recordSchema']);
  expect(asked.filter((f) => f.endsWith('.wasm')).sort()).toEqual(['mentorkit_feedback_bg.wasm', 'mentorkit_history_bg.wasm']);
  // The history's own script comes with its module, once: importing it again takes the one the page ran.
  expect(asked.filter((f) => f.endsWith('.js'))).toEqual(['mentorkit-feedback.js', 'mentorkit_history.js', 'mentorkit_api.js']);
});

test('the JS API\'s script is checked by its hash: altered, mount() rejects with api-unavailable and the page\'s widgets go on', async ({ page }) => {
  await alter(page, '**/pkg/mentorkit_api.js');
  const errors = await open(page, '/');
  await page.evaluate(() => document.querySelector('mentorkit-feedback').ready);
  const refused = await page.evaluate(async () => {
    const api = await import(document.querySelector('script[type=module][src*="mentorkit-elements"]').src);
    try { await api.mount(document.body, { kind: 'feedback' }); return 'mounted'; } catch (error) { return [error.name, error.code, error.message]; }
  });
  expect(refused.slice(0, 2)).toEqual(['MentorkitError', 'api-unavailable']);
  expect(refused[2]).toContain('mentorkit_api.js');
  await expect(page.locator('mentorkit-feedback').getByRole('radio', { name: 'Mentee', exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the agreement script alone and the feedback script on one page: each widget works, and the helpers answer', async ({ page }) => {
  await page.route('**/two-scripts.html', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two scripts</title>
<script type="module" src="/pkg/mentorkit-agreement.js"></script><script type="module" src="/pkg/mentorkit-feedback.js"></script></head><body><main><h1>Mentoring</h1>
<mentorkit-agreement namespace="two-${Date.now()}"></mentorkit-agreement><mentorkit-feedback namespace="two-${Date.now()}"></mentorkit-feedback></main></body></html>` }));
  await page.goto('/two-scripts.html');
  await page.evaluate(() => Promise.all([...document.querySelectorAll('mentorkit-agreement, mentorkit-feedback')].map((el) => el.ready)));
  const agreement = page.locator('mentorkit-agreement');
  await agreement.locator('input[name="mentee.name"]').fill('Ana Ruiz');
  await expect(page.locator('mentorkit-feedback').getByRole('radio', { name: 'Mentee', exact: true })).toBeVisible();
  const answers = await page.evaluate(async () => {
    const { mount, validateAgreement, renderAgreement } = await import('/pkg/mentorkit-agreement.js');
    const handle = await mount(document.body);
    return {
      tag: handle.element.localName,
      valid: (await validateAgreement({ 'mentee.name': 'Ana' })).valid,
      text: await renderAgreement({ 'mentee.name': 'Ana Ruiz' }, 'md'),
      value: document.querySelector('mentorkit-agreement').value['mentee.name'],
    };
  });
  expect(answers.tag).toBe('mentorkit-agreement');
  expect(answers.valid).toBe(false);
  expect(answers.text).toContain('Ana Ruiz');
  expect(answers.value).toBe('Ana Ruiz');
});
