// Gives a module's imports and exports short names, in the module and in
// its glue.
//
//   node scripts/short-imports.mjs pkg.tmp/mentorkit_feedback_bg.wasm pkg.tmp/mentorkit_feedback.js
//
// wasm-bindgen names each import after its JS function with a hash, about
// forty characters that brotli cannot shrink, once in the module and once
// in the glue. Both sides are rewritten together: every import of the glue's
// module becomes a name of one to three letters. The glue must hold each
// import's key exactly once, or the build stops here rather than ship a
// module whose imports cannot be found. The exports the glue calls (a
// closure's export is named after its Rust types, with their crates' hashes,
// up to two hundred characters) become `_` and a number; `memory` keeps its
// name, as the element script reads it; an export the glue never calls
// (wasm-bindgen's abort flags, for glue that handles aborts) is left out.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error('usage: short-imports.mjs MODULE.wasm GLUE.js');
  process.exit(2);
}
const fail = (why) => { console.error(`short-imports: ${why}`); process.exit(1); };

const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');

function leb(buf, at) {
  let value = 0, shift = 0, byte;
  do { byte = buf[at++]; value |= (byte & 127) << shift; shift += 7; } while (byte & 128);
  return [value >>> 0, at];
}
function encodeLeb(value) {
  const out = [];
  do { let byte = value & 127; value >>>= 7; if (value) byte |= 128; out.push(byte); } while (value);
  return Buffer.from(out);
}
function name(text) { const bytes = Buffer.from(text, 'utf8'); return Buffer.concat([encodeLeb(bytes.length), bytes]); }

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function short(n) {
  let s = '';
  do { s = letters[n % letters.length] + s; n = Math.floor(n / letters.length) - 1; } while (n >= 0);
  return s;
}

const glueModule = `./${basename(wasmPath).replace(/\.wasm$/, '.js')}`;
const shortModule = 'w';
// A snippet (a JS file the module imports from directly) is named by its
// path, some fifty characters, once per import in the module; it becomes a
// digit, and the glue's one key for it.
const snippets = new Map();
let exported = 0;

/** The export section from `start` to `end`, its names the glue calls shortened (and the glue with them). */
function exportSection(start, end) {
  let [count, p] = leb(wasm, start);
  const body = [];
  let kept = 0;
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = leb(wasm, p);
    const field = wasm.subarray(p, p + len).toString('utf8'); p += len;
    const descStart = p++;
    [, p] = leb(wasm, p);
    const desc = wasm.subarray(descStart, p);
    const escaped = field.replace(/\$/g, '\\$');
    const calls = glue.match(new RegExp(`(?<![\\w$])wasm\\.${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
    const read = glue.match(new RegExp(`[.'"]${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
    if (field === 'memory') { body.push(name(field), desc); kept++; continue; }
    if (!calls && read) fail(`the glue names the export ${field} but never calls it as wasm.${field}`);
    if (!calls) continue;
    // Read as any other property, or named in a text, it may be looked up some other way.
    if (calls !== read) fail(`the glue names the export ${field} other than as wasm.${field}`);
    const to = `_${exported++}`;
    glue = glue.replace(new RegExp(`(?<![\\w$])wasm\\.${escaped}(?![\\w$])`, 'g'), `wasm.${to}`);
    body.push(name(to), desc);
    kept++;
  }
  if (p !== end) fail('the export section did not end where it said');
  const section = Buffer.concat([encodeLeb(kept), ...body]);
  return Buffer.concat([Buffer.from([7]), encodeLeb(section.length), section]);
}
const parts = [wasm.subarray(0, 8)];
let at = 8, renamed = 0;
while (at < wasm.length) {
  const id = wasm[at];
  const [len, start] = leb(wasm, at + 1);
  const end = start + len;
  if (id === 7) { parts.push(exportSection(start, end)); at = end; continue; }
  if (id !== 2) { parts.push(wasm.subarray(at, end)); at = end; continue; }
  let [count, p] = leb(wasm, start);
  const body = [encodeLeb(count)];
  const names = new Map();
  for (let i = 0; i < count; i++) {
    let moduleLen, fieldLen;
    [moduleLen, p] = leb(wasm, p);
    const module = wasm.subarray(p, p + moduleLen).toString('utf8'); p += moduleLen;
    [fieldLen, p] = leb(wasm, p);
    const field = wasm.subarray(p, p + fieldLen).toString('utf8'); p += fieldLen;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) { [, p] = leb(wasm, p); }
    else if (kind === 1) { p++; const flags = wasm[p++]; [, p] = leb(wasm, p); if (flags & 1) [, p] = leb(wasm, p); }
    else if (kind === 2) { const flags = wasm[p++]; [, p] = leb(wasm, p); if (flags & 1) [, p] = leb(wasm, p); }
    else if (kind === 3) { p += 2; }
    else fail(`import ${field} has a kind (${kind}) this script does not know`);
    const desc = wasm.subarray(descStart, p);
    if (module === glueModule) {
      if (!names.has(field)) names.set(field, short(names.size));
      body.push(name(shortModule), name(names.get(field)), desc);
      renamed++;
    } else if (module.startsWith('./snippets/')) {
      if (!snippets.has(module)) snippets.set(module, String(snippets.size));
      body.push(name(snippets.get(module)), name(field), desc);
    } else {
      body.push(name(module), name(field), desc);
    }
  }
  if (p !== end) fail('the import section did not end where it said');
  for (const [field, to] of names) {
    const key = new RegExp(`(?<![\\w$])${field.replace(/\$/g, '\\$')}(?=:)`, 'g');
    const found = glue.match(key)?.length ?? 0;
    if (found !== 1) fail(`the glue holds ${found} keys ${field}, not one`);
    glue = glue.replace(key, to);
  }
  const moduleKey = `"${glueModule}": import0`;
  if (glue.split(moduleKey).length !== 2) fail(`the glue does not name its imports ${moduleKey} once`);
  glue = glue.replace(moduleKey, `"${shortModule}": import0`);
  for (const [module, to] of snippets) {
    // wasm-bindgen writes the same key once per import namespace of the file.
    const key = new RegExp(`^[ \\t]*"${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": (import\\d+),\\n`, 'gm');
    const lines = glue.match(key) ?? [];
    if (!lines.length) fail(`the glue does not name the imports of ${module}`);
    const namespace = lines[0].match(/import\d+/)[0];
    let first = true;
    glue = glue.replace(key, () => (first ? ((first = false), `        "${to}": ${namespace},\n`) : ''));
  }
  const section = Buffer.concat(body);
  parts.push(Buffer.from([2]), encodeLeb(section.length), section);
  at = end;
}
if (!renamed) fail(`no import comes from ${glueModule}`);
if (!exported) fail('the glue calls no export of its module');
writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
