// The benchmark: download sizes, then start-up and keystroke timings in
// headless Chromium against the demo server. Prints figures; asserts nothing.
//
//   node scripts/bench.mjs            (./dev bench builds first)
import { spawn } from 'node:child_process';
import { chromium as browserType } from '@playwright/test';
import { chromium } from './chromium.mjs';
import { pages, table } from './sizes.mjs';

const LOADS = Number(process.env.BENCH_LOADS || 9);
const PORT = Number(process.env.BENCH_PORT || 8282);
const base = `http://127.0.0.1:${PORT}`;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;

console.log('Download, per widget page: before the first field, and what may come later');
console.log(table(pages()));
console.log();

const server = spawn('target/server/mentorkit-demo', ['--addr', `127.0.0.1:${PORT}`], { stdio: 'ignore' });
try {
  await waitForServer();
  const browser = await browserType.launch(chromium);
  try {
    await startup(browser);
    await keystrokes(browser);
    for (const n of [1000, 10000]) await history(browser, n);
  } finally {
    await browser.close();
  }
  await idleMemory();
} finally {
  server.kill();
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(base + '/')).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the demo server did not start');
}

/** One cold load of `path`; returns timings read from the page. */
async function load(browser, path, mark) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: true });
  });
  await page.goto(base + path);
  await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0
    && performance.getEntriesByName('first-contentful-paint').length > 0, mark);
  const result = await page.evaluate((m) => {
    const ready = performance.getEntriesByName(m)[0].startTime;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const script = performance.getEntriesByType('resource').find((r) => /mentorkit-[a-z]+\.js$/.test(r.name));
    return {
      ready,
      // The page holds nothing but the form, so its first contentful paint is the form on screen.
      painted: fcp ? Math.max(fcp.startTime, ready) : ready,
      fromScript: script ? ready - script.startTime : null,
      longest: Math.max(0, ...window.__longTasks),
    };
  }, mark);
  await context.close();
  return result;
}

async function startup(browser) {
  const stat = [], widget = [], preloaded = [];
  for (let i = 0; i < LOADS; i++) {
    // Interleaved, so all see the same machine load.
    stat.push(await load(browser, '/bench/static.html', 'static:ready'));
    widget.push(await load(browser, '/bench/widget.html', 'mentorkit-agreement:ready'));
    preloaded.push(await load(browser, '/bench/widget-preload.html', 'mentorkit-agreement:ready'));
  }
  const p = median(preloaded.map((r) => r.painted));
  const s = median(stat.map((r) => r.painted));
  const w = median(widget.map((r) => r.painted));
  console.log(`Start-up (median of ${LOADS} cold loads, from navigation start)`);
  console.log(`  static HTML form, first field in the DOM   ${ms(median(stat.map((r) => r.ready)))}`);
  console.log(`  agreement widget, first field in the DOM   ${ms(median(widget.map((r) => r.ready)))}`);
  console.log(`  static HTML form, first field on screen    ${ms(s)}`);
  console.log(`  agreement widget, first field on screen    ${ms(w)}  (${(w / s).toFixed(2)}x static; budget 1.3x)`);
  console.log(`  the same, the page asking for the module    ${ms(p)}  (${(p / s).toFixed(2)}x static)`);
  console.log(`  widget script start to interactive widget  ${ms(median(widget.map((r) => r.fromScript)))}`);
  console.log(`  longest main-thread task during load       ${ms(Math.max(...widget.map((r) => r.longest)))} (budget 50 ms; 0 = none over 50 ms)`);
  console.log();
}

async function keystrokes(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/bench/widget.html');
  await page.waitForFunction(() => performance.getEntriesByName('mentorkit-agreement:ready').length > 0);
  const times = await page.evaluate(() => {
    const input = document.querySelector('mentorkit-agreement').shadowRoot.querySelector('input[name="mentee.name"]');
    const out = [];
    for (let i = 0; i < 300; i++) {
      input.value = 'Amara Okafor '.repeat(3).slice(0, (i % 36) + 1);
      const t0 = performance.now();
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      out.push(performance.now() - t0);
    }
    return out;
  });
  await context.close();
  const sorted = [...times].sort((a, b) => a - b);
  console.log('Keystroke handling (300 input events on a field)');
  console.log(`  median ${ms(median(times))}, p95 ${ms(sorted[Math.floor(sorted.length * 0.95)])}, max ${ms(sorted.at(-1))} (budget 2 ms)`);
}

/**
 * The memory of a page with one widget once it is idle: the wasm module's
 * memory and the page's JS heap after a garbage collection (Chromium's
 * precise figures), against the same page with the static form.
 */
async function idleMemory() {
  const browser = await browserType.launch({ ...chromium, args: [...chromium.args, '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
  try {
    const measure = async (path, script, tag) => {
      const page = await browser.newPage();
      await page.goto(base + path);
      const result = await page.evaluate(async ([script, tag]) => {
        if (tag) await document.querySelector(tag).ready;
        await new Promise((resolve) => setTimeout(resolve, 1500));
        globalThis.gc();
        const wasm = script ? await (await import(script)).memoryBytes() : 0;
        return { wasm, heap: performance.memory.usedJSHeapSize };
      }, [script, tag]);
      await page.close();
      return result;
    };
    const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
    const bare = await measure('/bench/static.html');
    console.log('Idle memory, one widget on the page (budget 3 MiB per widget)');
    console.log(`  static HTML form: JS heap ${mib(bare.heap)}`);
    for (const [label, path, script, tag] of [
      ['agreement widget', '/bench/widget.html', '/pkg/mentorkit-agreement.js', 'mentorkit-agreement'],
      ['feedback widget', '/bench/history.html', '/pkg/mentorkit-feedback.js', 'mentorkit-feedback'],
    ]) {
      const m = await measure(path, script, tag);
      console.log(`  ${label}: wasm ${mib(m.wasm)} + JS heap ${mib(m.heap)} = ${mib(m.wasm + m.heap)}`);
    }
  } finally {
    await browser.close();
  }
}

/** Stores `n` sessions, then times mounting the feedback widget over them and opening its history. */
async function history(browser, n) {
  const runs = [];
  // The history is opened once the page is idle, as a person's click comes.
  for (let run = 0; run < 5; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript((count) => {
      const records = [];
      const start = Date.UTC(2020, 0, 1);
      for (let i = 1; i <= count; i++) {
        const date = new Date(start + i * 7 * 864e5).toISOString().slice(0, 10);
        const held = i % 9 !== 0;
        const data = { kind: 'session', respondent: 'mentee', date, status: held ? 'held' : 'cancelled-mentor' };
        if (held) {
          Object.assign(data, {
            rating: String(1 + (i % 5)), talking: String(1 + (i % 4)), listened: '4', structure: '3', duration: '60', format: 'video',
            topics: 'Portfolio review, residency statement and a plan for the next month', wentWell: 'Clear next steps', actions: '1',
            'action.1.what': `Action ${i}`, 'action.1.who': 'mentee', 'action.1.due': date, [`open.${i - 1}.1`]: 'done',
          });
        } else {
          Object.assign(data, { reason: 'Illness', rescheduled: 'no' });
        }
        // Stored as the widget writes it: paths in order.
        const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        records.push({ id: `id-${i}`, seq: i, version: 1, kind: 'session', created: `${date}T10:00:00Z`, submitted: `${date}T10:00:00Z`, data: sorted });
      }
      localStorage.setItem('mentorkit:bench:feedback:records', JSON.stringify({ schema: 'mentorkit.feedback-records', version: 1, savedAt: 1, data: records }));
      // The warm-up widget gets a short history of its own, so the code that draws one is compiled before timing.
      localStorage.setItem('mentorkit:warm-up:feedback:records', JSON.stringify({ schema: 'mentorkit.feedback-records', version: 1, savedAt: 1, data: records.slice(0, 12) }));
      localStorage.setItem('mentorkit:bench:agreement:draft', JSON.stringify({ schema: 'mentorkit.agreement', version: 1, savedAt: 1, data: { 'meet.cadence': '30-fortnightly', 'term.start': '2020-01-01', goals: '1', 'goal.1.what': 'Portfolio' } }));
    }, n);
    await page.goto(base + '/bench/history.html');
    await page.waitForFunction(() => performance.getEntriesByName('mentorkit-feedback:ready').length > 0);
    await page.evaluate(async () => {
      const warm = document.querySelector('mentorkit-feedback');
      // The history's own module has arrived once the widget is ready.
      await warm.ready;
      warm.shadowRoot.querySelector('[name=tab-history]').click();
      warm.shadowRoot.querySelector('[name=tab-form]').click();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    });
    runs.push(await page.evaluate(async () => {
      const bytes = localStorage.getItem('mentorkit:bench:feedback:records').length;
      const el = document.createElement('mentorkit-feedback');
      el.setAttribute('namespace', 'bench');
      const t0 = performance.now();
      document.body.append(el);
      await new Promise((resolve) => {
        const wait = () => (performance.getEntriesByName('mentorkit-feedback:ready').length > 1 ? resolve() : setTimeout(wait, 0));
        wait();
      });
      const ready = performance.getEntriesByName('mentorkit-feedback:ready')[1].startTime;
      // The history's module (fetched and started for the warm-up widget) is handed to this one too.
      await el.ready;
      await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }));
      const t1 = performance.now();
      el.shadowRoot.querySelector('[name=tab-history]').click();
      // Reading a size makes the browser lay the history out, so that is timed too.
      el.shadowRoot.querySelector('.entries').getBoundingClientRect();
      const t2 = performance.now();
      const entries = el.shadowRoot.querySelectorAll('.entries li').length;
      const { memoryBytes } = await import('/pkg/mentorkit-feedback.js');
      const wasm = await memoryBytes();
      const heap = performance.memory ? performance.memory.usedJSHeapSize : 0;
      return { load: ready - t0, render: t2 - t1, bytes, entries, wasm, heap };
    }));
    await context.close();
  }
  const load = median(runs.map((r) => r.load));
  const render = median(runs.map((r) => r.render));
  console.log(`History of ${n} stored sessions (${(runs[0].bytes / 1024).toFixed(0)} KiB stored; median of ${runs.length})`);
  console.log(`  load (read, parse, mount the form)   ${ms(load)}`);
  console.log(`  open the history once the page is idle (insights, charts, ${runs[0].entries} newest entries drawn and laid out)   ${ms(render)}`);
  console.log(`  together   ${ms(load + render)}${n === 1000 ? ' (budget 50 ms)' : ''}`);
  const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
  console.log(`  memory then: wasm ${mib(median(runs.map((r) => r.wasm)))}, JS heap ${mib(median(runs.map((r) => r.heap)))} (the page, two widgets)`);
}
