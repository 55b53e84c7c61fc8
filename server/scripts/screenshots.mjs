// node server/scripts/screenshots.mjs [OUT_DIR]
// Screenshots of the coordinator's view of the demo's sample programme: the
// pairs list, one pair and the report, at desktop (1280×800) and phone
// (390×844) width, in English and Arabic, as full-page PNGs. Starts the demo
// server (built with ./dev demo or ./dev test) on a free port of its own.
import { chromium as browserType } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from '../../scripts/chromium.mjs';

const out = process.argv[2] || 'target/screenshots';
const port = Number(process.env.MENTORKIT_SHOTS_PORT || 8489);
const base = `http://127.0.0.1:${port}`;
fs.rmSync('target/screenshots-demo', { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const demo = spawn('target/server/mentorkit-demo', ['--addr', `127.0.0.1:${port}`, '--db', 'target/screenshots-demo/records.sqlite'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await browserType.launch(chromium);
  for (const [name, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]]) {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill('coordinator@sample.example');
    await page.getByLabel('Password').fill('sample programme');
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(/\/pairs$/);
    for (const language of ['en', 'ar']) {
      await page.goto(`${base}/language?to=${language}&back=/pairs`);
      for (const [what, path] of [['pairs', '/pairs'], ['pair', '/pairs/N005'], ['report', '/report']]) {
        await page.goto(`${base}${path}`);
        const file = `${out}/${what}-${language}-${name}.png`;
        await page.screenshot({ path: file, fullPage: true });
        // The first screen as it opens, and the screen where its main part begins.
        await page.screenshot({ path: file.replace('.png', '-top.png') });
        const main = { pairs: 'table.pairs tbody', pair: '#timeline', report: 'figure' }[what];
        await page.locator(main).first().evaluate((el) => el.scrollIntoView());
        await page.screenshot({ path: file.replace('.png', '-main.png') });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        console.log(`${file}${wide > width ? ` (${wide} px wide: wider than the screen)` : ''}`);
      }
    }
    await page.close();
  }
  await browser.close();
} finally {
  demo.kill();
}
