// Regenerates everything the web application derives from the rest of the repository:
//   src/api/schema.d.ts           typed API from proto/gen/openapi/cityhall.openapi.json
//   src/reference/data/*.json     reference data from services/*/db/seed/*.csv
// The output is deterministic (no timestamps, stable order), and committed.
// Usage: npm run generate   (add --check to fail when the committed files are stale)
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const frontend = join(here, '..');
const repo = join(frontend, '..');
const check = process.argv.includes('--check');
const stale = [];

async function emit(path, content) {
  let old = null;
  try {
    old = await readFile(path, 'utf8');
  } catch {
    /* new file */
  }
  if (old === content) return;
  if (check) {
    stale.push(relative(frontend, path));
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  console.log('wrote', relative(frontend, path));
}

// --- API types --------------------------------------------------------------------------
const specPath = join(repo, 'proto/gen/openapi/cityhall.openapi.json');
const spec = JSON.parse(await readFile(specPath, 'utf8'));
const ast = await openapiTS(spec, { alphabetize: true });
await emit(
  join(frontend, 'src/api/schema.d.ts'),
  COMMENT_HEADER.replace('*/', '* Source: proto/gen/openapi/cityhall.openapi.json (npm run generate).\n */') + astToString(ast),
);

// --- Reference data ---------------------------------------------------------------------
/** Parses RFC 4180 CSV (quoted fields, doubled quotes; no newlines inside fields). */
function parseCSV(text) {
  const rows = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line === '') continue;
    const fields = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          const q = line.indexOf('"', i);
          if (q < 0) throw new Error(`unterminated quote in: ${line}`);
          value += line.slice(i, q);
          if (line[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        fields.push(value);
        i++; // the comma
      } else {
        const c = line.indexOf(',', i);
        const end = c < 0 ? line.length : c;
        fields.push(line.slice(i, end));
        i = end + 1;
      }
    }
    rows.push(fields);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}

// Each CSV lives in the seed folder of the service that owns it (services/<svc>/db/seed);
// ownership moves as services are added, so look in every one. Two differing copies fail.
async function seedCSV(name) {
  const services = (await readdir(join(repo, 'services'), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const found = [];
  for (const svc of services) {
    try {
      found.push({ path: `services/${svc}/db/seed/${name}`, text: await readFile(join(repo, 'services', svc, 'db/seed', name), 'utf8') });
    } catch {
      /* not this service's */
    }
  }
  if (found.length === 0) throw new Error(`no services/*/db/seed/${name}`);
  if (found.some((f) => f.text !== found[0].text)) {
    throw new Error(`${name} differs between ${found.map((f) => f.path).join(' and ')}`);
  }
  return found[0];
}
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

const classifierCSV = await seedCSV('classifier.csv');
const classifier = parseCSV(classifierCSV.text).sort(byCode);
for (const c of classifier) {
  if (!/^\d{4}(\.\d{4}){3,4}$/.test(c.code)) throw new Error(`bad classifier code ${c.code}`);
}
// Compact: [code, level, name]; the parent is derived from the code (see src/reference/classifier.ts).
await emit(
  join(frontend, 'src/reference/data/classifier.json'),
  JSON.stringify({ source: classifierCSV.path, items: classifier.map((c) => [c.code, Number(c.level), c.name]) }) + '\n',
);

const departments = parseCSV((await seedCSV('departments.csv')).text); // source order: district committees first
await emit(
  join(frontend, 'src/reference/data/departments.json'),
  JSON.stringify(departments.map((d) => ({ code: d.code, name: d.name, kind: d.kind, district: d.district })), null, 1) + '\n',
);

const districts = parseCSV((await seedCSV('districts.csv')).text);
await emit(
  join(frontend, 'src/reference/data/districts.json'),
  JSON.stringify(districts.map((d) => ({ code: d.code, name: d.name })), null, 1) + '\n',
);

if (stale.length) {
  console.error('stale generated files (run npm run generate):\n  ' + stale.join('\n  '));
  process.exit(1);
}
console.log(check ? 'generated files are up to date' : `classifier: ${classifier.length}, departments: ${departments.length}, districts: ${districts.length}`);
