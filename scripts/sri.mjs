// Subresource Integrity (sha384) of files: one per line as `sha384-…` for
// a single file (the build writes the wasm's into the script), or a table
// for several (printed after a build, for the script tag's `integrity`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

// With `--map DIR FILE…`, a JSON object from each file's path (relative to
// DIR) to its hash, for the element script to fetch them with.
const args = process.argv.slice(2);
const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
if (args[0] === '--map') {
  const [, dir, ...files] = args;
  process.stdout.write(JSON.stringify(Object.fromEntries(files.map((f) => [f, sri(`${dir}/${f}`)]))));
} else if (args.length === 1) process.stdout.write(sri(args[0]));
else for (const file of args) console.error(`  ${basename(file).padEnd(30)} ${sri(file)}`);
