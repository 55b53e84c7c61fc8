// Subresource Integrity of files: `sha384-…` for a single file, or a table
// for several (printed after a build, for the script tag's `integrity`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

// With `--map DIR FILE…`, a JSON object from each file's path (relative to
// DIR) to its hash, for the element script to fetch them with. These are
// SHA-256: as strong a check for a fetch, and a third shorter in a script
// that every page downloads before its first field (the script itself,
// covered by the page's `integrity`, stays SHA-384).
const args = process.argv.slice(2);
const sri = (file, algorithm = 'sha384') => `${algorithm}-${createHash(algorithm).update(readFileSync(file)).digest('base64')}`;
if (args[0] === '--map') {
  const [, dir, ...files] = args;
  process.stdout.write(JSON.stringify(Object.fromEntries(files.map((f) => [f, sri(`${dir}/${f}`, 'sha256')]))));
} else if (args.length === 1) process.stdout.write(sri(args[0]));
else for (const file of args) console.error(`  ${basename(file).padEnd(30)} ${sri(file)}`);
