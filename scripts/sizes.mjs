// What each widget's page downloads: before its first field is on screen
// (the element script and that widget's module; a language other than
// English adds its texts file), and what it may fetch later. Raw, gzip -9 and
// brotli -q 11 bytes. Imported by the benchmark and the byte-budget test;
// `node scripts/sizes.mjs` prints the tables.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

// A page with one widget loads that widget's element script.
export const PAGES = {
  agreement: { first: ['mentorkit-agreement.js', 'mentorkit_agreement_bg.wasm'], later: ['mentorkit_document.js', 'mentorkit_document_bg.wasm', 'mentorkit_api.js', 'mentorkit_net.js'] },
  feedback: { first: ['mentorkit-feedback.js', 'mentorkit_feedback_bg.wasm'], later: ['mentorkit_history.js', 'mentorkit_history_bg.wasm', 'mentorkit_api.js', 'mentorkit_net.js'] },
};
export const LANGUAGES = ['es', 'fr', 'de', 'ar'].map((l) => `i18n/${l}.json`);
/** The project's goal for what comes before a widget's first field. */
export const GOAL_BROTLI = 60 * 1024;

export function size(name, dir = new URL('../pkg/', import.meta.url)) {
  const bytes = readFileSync(new URL(name, dir));
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

const sum = (rows, name) => rows.reduce((t, r) => ({ name, raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { name, raw: 0, gzip: 0, brotli: 0 });

/** Per widget page: the files before the first field and their total, and what may come later. */
export function pages(dir) {
  return Object.fromEntries(Object.entries(PAGES).map(([page, { first, later }]) => {
    const rows = first.map((f) => size(f, dir));
    const languages = LANGUAGES.map((f) => size(f, dir));
    return [page, { rows, first: sum(rows, 'before the first field'), later: sum([...later.map((f) => size(f, dir)), ...languages], 'later, if used (each language)'), languages }];
  }));
}

const line = (r) => `  ${r.name.padEnd(34)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;

export function table(all) {
  const out = [];
  for (const [page, p] of Object.entries(all)) {
    out.push(`${page} page${' '.repeat(30 - page.length)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`);
    out.push(...p.rows.map(line), line(p.first));
    out.push(`  ${'a language other than English'.padEnd(34)} ${''.padStart(19)} ${String(Math.max(...p.languages.map((l) => l.brotli))).padStart(9)} (largest; fetched only for that language)`);
    out.push(`  before the first field: ${p.first.brotli} B brotli, ${(p.first.brotli / GOAL_BROTLI).toFixed(2)}x the ${GOAL_BROTLI} B goal`);
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(table(pages()));
