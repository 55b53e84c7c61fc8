// The benchmark: download sizes, then start-up and keystroke timings in
// headless Chromium against the demo server. Prints figures; asserts nothing.
//
//   node scripts/bench.mjs            (./dev bench builds first)
import { spawn } from 'node:child_process';
import { chromium as browserType } from '@playwright/test';
import { chromium } from './chromium.mjs';
import { sizes, table } from './sizes.mjs';

const LOADS = Number(process.env.BENCH_LOADS || 9);
const PORT = Number(process.env.BENCH_PORT || 8282);
const base = `http://127.0.0.1:${PORT}`;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;

console.log('Download (every file a host page fetches for both widgets)');
console.log(table(sizes()));
console.log();

const server = spawn('target/release/mentorkit-demo', ['--addr', `127.0.0.1:${PORT}`], { stdio: 'ignore' });
try {
  await waitForServer();
  const browser = await browserType.launch(chromium);
  try {
    await startup(browser);
    await keystrokes(browser);
  } finally {
    await browser.close();
  }
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
    const script = performance.getEntriesByType('resource').find((r) => r.name.endsWith('mentorkit-elements.js'));
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
  const stat = [], widget = [];
  for (let i = 0; i < LOADS; i++) {
    // Interleaved, so both see the same machine load.
    stat.push(await load(browser, '/bench/static.html', 'static:ready'));
    widget.push(await load(browser, '/bench/widget.html', 'mentorkit-agreement:ready'));
  }
  const s = median(stat.map((r) => r.painted));
  const w = median(widget.map((r) => r.painted));
  console.log(`Start-up (median of ${LOADS} cold loads, from navigation start)`);
  console.log(`  static HTML form, first field in the DOM   ${ms(median(stat.map((r) => r.ready)))}`);
  console.log(`  agreement widget, first field in the DOM   ${ms(median(widget.map((r) => r.ready)))}`);
  console.log(`  static HTML form, first field on screen    ${ms(s)}`);
  console.log(`  agreement widget, first field on screen    ${ms(w)}  (${(w / s).toFixed(2)}x static; budget 1.3x)`);
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
