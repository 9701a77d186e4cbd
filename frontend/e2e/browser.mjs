// Debian's chromium driven by playwright-core (no browser downloads), one fresh profile per
// session. The application is opened at http://localhost:5173 — an origin the dev issuer
// accepts as a redirect URI — and every request to it is answered by the system under test on
// its own free port (the issuer's SPA redirect URIs are fixed to ports 8080 and 5173).
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const APP_ORIGIN = 'http://localhost:5173';
const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--lang=ru-RU',
  // The app's origin is served by request interception, which Chromium counts as a public
  // address; its calls to the issuer on 127.0.0.1 would then be blocked as a public-to-loopback
  // request (Local Network Access). In real use both are on the same network.
  '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
];

/** Opens a browser session (fresh profile) whose APP_ORIGIN is served by `backend`. */
export async function openSession(backend, { viewport = { width: 1280, height: 860 }, locale = 'ru-RU' } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'cityhall-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    viewport,
    locale,
    timezoneId: 'Europe/Moscow', // not the city's zone: the app must show Khabarovsk time anyway
    timeout: 30_000,
    // C.UTF-8 exists everywhere (ru_RU.UTF-8 may not): with an ASCII-only locale Chromium saves
    // a download with a Cyrillic name as "download". The interface language comes from --lang.
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', LANGUAGE: 'ru' },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  await context.route(`${APP_ORIGIN}/**`, async (route) => {
    const url = backend + route.request().url().slice(APP_ORIGIN.length);
    try {
      const response = await route.fetch({ url, maxRedirects: 0, timeout: 30_000 });
      await route.fulfill({ response });
    } catch (e) {
      await route.abort('failed').catch(() => undefined);
      if (!String(e).includes('closed')) console.error('proxy', url, String(e).split('\n')[0]);
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
