// Measures the initial JavaScript: the module scripts and modulepreloads that dist/index.html
// loads before anything else, gzipped (level 9). Lazily loaded chunks (pages, the chart, the
// reference data) are listed separately and do not count. Fails above the budget.
// Usage: npm run size  (after npm run build)
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_KB = 300;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = await readFile(join(dist, 'index.html'), 'utf8');

const refs = new Set();
for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) refs.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) refs.add(m[1]);
const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);

const kb = (n) => (n / 1024).toFixed(1);
async function measure(ref) {
  const buf = await readFile(join(dist, ref.replace(/^\//, '')));
  return { ref, raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
}

const initial = await Promise.all([...refs].map(measure));
const styles = await Promise.all(css.map(measure));
const total = initial.reduce((s, f) => s + f.gz, 0);

console.log('Initial JavaScript (loaded by index.html):');
for (const f of initial) console.log(`  ${f.ref.padEnd(48)} ${kb(f.raw).padStart(8)} KB raw ${kb(f.gz).padStart(7)} KB gzip`);
console.log(`  total ${kb(total)} KB gzip (budget ${BUDGET_KB} KB)`);
console.log('Initial CSS:');
for (const f of styles) console.log(`  ${f.ref.padEnd(48)} ${kb(f.raw).padStart(8)} KB raw ${kb(f.gz).padStart(7)} KB gzip`);

const assets = (await readdir(join(dist, 'assets'))).filter((f) => !initial.some((i) => i.ref.endsWith(f)) && !styles.some((s) => s.ref.endsWith(f)));
const lazy = await Promise.all(assets.sort().map((f) => measure(`/assets/${f}`)));
console.log('Loaded on demand:');
for (const f of lazy) console.log(`  ${f.ref.padEnd(48)} ${kb(f.raw).padStart(8)} KB raw ${kb(f.gz).padStart(7)} KB gzip`);

if (total > BUDGET_KB * 1024) {
  console.error(`over budget: ${kb(total)} KB > ${BUDGET_KB} KB`);
  process.exit(1);
}
