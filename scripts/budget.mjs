// The byte budget as a test: fails when a page with one widget downloads
// more brotli bytes before its first field than tests/budget.json allows.
import { readFileSync } from 'node:fs';
import { pages, table } from './sizes.mjs';

const { beforeFirstFieldBrotli: limit } = JSON.parse(readFileSync(new URL('../tests/budget.json', import.meta.url), 'utf8'));
const all = pages();
console.error(table(all));
const over = Object.entries(all).filter(([, p]) => p.first.brotli > limit);
if (over.length) {
  for (const [page, p] of over) console.error(`the ${page} page downloads ${p.first.brotli} B brotli before its first field, over the limit of ${limit} B by ${p.first.brotli - limit} B`);
  process.exit(1);
}
console.error(`every widget page is within the limit of ${limit} B brotli before its first field`);
