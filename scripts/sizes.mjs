// Sizes of every file a host page downloads for both widgets: raw, gzip -9 and
// brotli -q 11 bytes. Imported by the benchmark and the size-budget test;
// `node scripts/sizes.mjs` prints the table.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

export const DOWNLOADED = ['mentorkit-elements.js', 'mentorkit_bg.wasm'];
export const BUDGET_BROTLI = 60 * 1024;

export function sizes(dir = new URL('../pkg/', import.meta.url)) {
  const rows = DOWNLOADED.map((name) => {
    const bytes = readFileSync(new URL(name, dir));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    };
  });
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { rows, total: { name: 'total', ...total } };
}

export function table({ rows, total }) {
  const line = (r) => `${r.name.padEnd(24)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
  return [
    `${'file'.padEnd(24)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`,
    ...rows.map(line),
    line(total),
    `brotli budget: ${total.brotli} of ${BUDGET_BROTLI} bytes (${((100 * total.brotli) / BUDGET_BROTLI).toFixed(1)}%)`
      + (total.brotli > BUDGET_BROTLI ? `: OVER BUDGET by ${total.brotli - BUDGET_BROTLI} bytes` : ': within budget'),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(table(sizes()));
