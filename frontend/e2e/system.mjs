// Starts a private Cityhall (bin/cityhall run) for the browser tests and stops it again:
// a temporary --data directory, a free port, the PostgreSQL server of the machine (shared
// with `make run`: every test makes its own unique data and filters by it), bounded waits.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, mkdir, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const frontendDir = fileURLToPath(new URL('..', import.meta.url));
export const repoDir = dirname(frontendDir.replace(/\/$/, ''));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (v) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

/** bin/cityhall: CITYHALL_BIN if set (make test builds it), else built here (seconds with a warm Go cache). */
export async function cityhallBinary(log) {
  if (process.env.CITYHALL_BIN) return process.env.CITYHALL_BIN;
  const out = join(repoDir, 'bin/cityhall');
  log(`building ${out}`);
  await promisify(execFile)('go', ['build', '-o', out, './cmd/cityhall'], { cwd: repoDir, timeout: 10 * 60_000, maxBuffer: 16 << 20 });
  return out;
}

/**
 * Starts the system; resolves once /readyz answers 200. The process runs in its own process
 * group, so stop() ends it and everything it started.
 */
export async function startSystem({ log, logFile }) {
  const bin = await cityhallBinary(log);
  try {
    await stat(join(repoDir, 'frontend/dist/index.html'));
  } catch {
    throw new Error('frontend/dist is missing: build the application first (npm run build)');
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'cityhall-e2e-'));
  const env = { ...process.env, LOG_LEVEL: 'warn' };
  if (!env.DATABASE_URL && (await portOpen(5432, 'localhost'))) {
    env.DATABASE_URL = 'postgres://postgres@localhost:5432/postgres?sslmode=disable';
  }
  await mkdir(dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  log(`starting ${bin} run --addr 127.0.0.1:${port} --data ${dataDir}${env.DATABASE_URL ? ' (DATABASE_URL set)' : ''}`);
  // Free gRPC ports and databases of its own (e2e_<service>): runs beside `make run`.
  const args = ['run', '--addr', `127.0.0.1:${port}`, '--data', dataDir, '--free-grpc-ports', '--db-prefix', 'e2e_'];
  const child = spawn(bin, args, {
    cwd: repoDir, // the gateway serves frontend/dist relative to it
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));

  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 20_000);
      await exit;
      clearTimeout(t);
    }
    out.end();
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`cityhall exited while starting (${JSON.stringify(exited)}); see ${logFile}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cityhall was not ready within 120 s; see ${logFile}`);
    }
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  // The public URL (and the issuer) say localhost, as `cityhall run` prints them.
  return { port, base, publicURL: `http://localhost:${port}`, stop, pid: child.pid };
}
