// End-to-end tests: Debian's Chromium against the demo server on its own port.
import { defineConfig } from '@playwright/test';
import { chromium } from './scripts/chromium.mjs';

const PORT = Number(process.env.MENTORKIT_E2E_PORT || 8181);

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 30_000,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: chromium,
  },
  webServer: {
    command: `target/server/mentorkit-demo --addr 127.0.0.1:${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});
