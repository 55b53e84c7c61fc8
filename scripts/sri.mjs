// Prints the Subresource Integrity hash (sha384) of each file a host page
// loads from pkg/, for the `integrity` attribute of its script tag.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

for (const file of ['mentorkit-elements.js', 'mentorkit_bg.wasm']) {
  const hash = createHash('sha384').update(readFileSync(new URL(`../pkg/${file}`, import.meta.url))).digest('base64');
  console.error(`  ${file.padEnd(24)} sha384-${hash}`);
}
