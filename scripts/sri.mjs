// Subresource Integrity (sha384) of files: one per line as `sha384-…` for
// a single file (the build writes the wasm's into the script), or a table
// for several (printed after a build, for the script tag's `integrity`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const files = process.argv.slice(2);
const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
if (files.length === 1) process.stdout.write(sri(files[0]));
else for (const file of files) console.error(`  ${basename(file).padEnd(24)} ${sri(file)}`);
