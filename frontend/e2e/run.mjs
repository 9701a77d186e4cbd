// npm run e2e: the clerks' scenarios in Debian's chromium against a private running system.
//   1. builds the application (vite build; E2E_SKIP_BUILD=1 reuses dist/)
//   2. starts bin/cityhall on a free port with a temporary --data directory (system.mjs)
//   3. runs the scenarios below, saving screenshots under test-results/e2e/
//   4. stops the system (its whole process group), whatever happened
// Every wait is bounded; the whole run is bounded by E2E_TIMEOUT_S (default 480 s).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APP_ORIGIN, openSession } from './browser.mjs';
import { frontendDir, startSystem } from './system.mjs';
import { scenarios as appealScenarios } from './scenarios.mjs';
import { outreachScenarios } from './outreach.mjs';

const scenarios = [...appealScenarios, ...outreachScenarios];

const results = join(frontendDir, 'test-results/e2e');
const t0 = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const overall = setTimeout(
  () => {
    console.error(`e2e: the run took longer than ${process.env.E2E_TIMEOUT_S ?? 480} s; aborting`);
    void cleanup().finally(() => process.exit(2));
  },
  Number(process.env.E2E_TIMEOUT_S ?? 480) * 1000,
);
overall.unref();

let system = null;
const sessions = new Set();
async function cleanup() {
  for (const s of sessions) await s.close();
  sessions.clear();
  if (system) await system.stop();
  system = null;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => void cleanup().finally(() => process.exit(130)));
}

await rm(results, { recursive: true, force: true });
await mkdir(results, { recursive: true });

if (!process.env.E2E_SKIP_BUILD) {
  log('building the application (vite build)');
  await promisify(execFile)(process.execPath, [join(frontendDir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: frontendDir,
    timeout: 5 * 60_000,
    maxBuffer: 16 << 20,
  });
}

let failed = 0;
try {
  system = await startSystem({ log, logFile: join(results, 'cityhall.log') });
  log(`system ready at ${system.base}; the app is opened at ${APP_ORIGIN}`);
  const ctx = {
    base: system.base,
    results,
    log,
    runId: `${new Date().toISOString().slice(11, 19).replace(/:/g, '')}-${Math.random().toString(36).slice(2, 6)}`,
    shared: {},
    async session(opts) {
      const s = await openSession(system.base, opts);
      sessions.add(s);
      const close = s.close;
      s.close = async () => {
        sessions.delete(s);
        await close();
      };
      return s;
    },
  };
  for (const sc of scenarios) {
    if (only.length && !only.some((o) => sc.name.includes(o))) continue;
    const start = Date.now();
    try {
      await sc.run(ctx);
      log(`ok    ${sc.name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      log(`FAIL  ${sc.name} (${((Date.now() - start) / 1000).toFixed(1)} s)\n${e?.stack ?? e}`);
      for (const s of sessions) {
        const file = join(results, `FAILED-${sc.name.replace(/\W+/g, '-')}.png`);
        await s.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        if (s.errors.length) log(`page errors: ${s.errors.join('\n')}`);
      }
      if (sc.required) break;
    } finally {
      for (const s of sessions) await s.close();
    }
  }
} catch (e) {
  failed++;
  log(`FAIL  setup\n${e?.stack ?? e}`);
} finally {
  await cleanup();
}
assert.ok(true);
log(failed ? `${failed} scenario(s) failed; screenshots and the system log are in test-results/e2e/` : `all scenarios passed; screenshots in test-results/e2e/`);
process.exit(failed ? 1 : 0);
