// End-to-end tests: Debian's Chromium against the demo server on its own port,
// and against the programme's server (coordinator pages) on the next one.
import { defineConfig } from '@playwright/test';
import { chromium } from './scripts/chromium.mjs';

const PORT = Number(process.env.MENTORKIT_E2E_PORT || 8181);
const SERVER_PORT = Number(process.env.MENTORKIT_E2E_SERVER_PORT || PORT + 1);
process.env.MENTORKIT_E2E_SERVER_PORT = String(SERVER_PORT);

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
  webServer: [
    {
      command: `target/server/mentorkit-demo --addr 127.0.0.1:${PORT}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      command: `sh scripts/e2e-server.sh ${SERVER_PORT} ${PORT}`,
      url: `http://127.0.0.1:${SERVER_PORT}/healthz`,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
  ],
});
