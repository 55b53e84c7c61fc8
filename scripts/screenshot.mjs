// node scripts/screenshot.mjs URL OUT.png [width] [colorScheme]
// Takes a full-page screenshot of a page once its widgets are drawn.
import { chromium as browserType } from '@playwright/test';
import { chromium } from './chromium.mjs';

const [url = 'http://127.0.0.1:8080/', out = 'screenshot.png', width = '1200', scheme = 'light'] = process.argv.slice(2);
const browser = await browserType.launch(chromium);
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme });
page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(url);
await page.waitForFunction(() => [...document.querySelectorAll('mentorkit-agreement, mentorkit-feedback')]
  .every((el) => el.shadowRoot && el.shadowRoot.querySelector('input, [role=alert]')), null, { timeout: 10000 })
  .catch((e) => console.log('widgets not drawn:', e.message));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
