// Checks that pkg/ packs into a publishable package: `npm pack --dry-run`
// succeeds and the tarball holds what package.json points at.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkgDir = new URL('../pkg/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', pkgDir), 'utf8'));
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const files = new Set(packed.files.map((f) => f.path));
const needed = [
  'package.json', 'README.md', manifest.main.slice(2), manifest.types.slice(2), 'mentorkit-agreement.js', 'mentorkit-agreement.d.ts', 'mentorkit-feedback.js', 'mentorkit-feedback.d.ts', 'mentorkit_agreement_bg.wasm', 'mentorkit_feedback_bg.wasm', 'mentorkit_document_bg.wasm', 'mentorkit_history_bg.wasm', 'mentorkit_document.js', 'mentorkit_history.js', 'mentorkit_api.js', 'mentorkit_net.js', 'i18n/es.json', 'i18n/ar.json',
  'schemas/record.agreement.schema.json', 'schemas/record.session.schema.json', 'schemas/record.checkin.schema.json',
  'schemas/record.closing.schema.json', 'schemas/openapi.json',
];
const missing = needed.filter((f) => !files.has(f));
for (const field of ['name', 'version', 'description', 'license', 'type', 'exports', 'types']) {
  if (!manifest[field]) missing.push(`package.json field "${field}"`);
}
if (missing.length) {
  console.error(`pkg/ would not publish completely; missing: ${missing.join(', ')}`);
  process.exit(1);
}
console.error(`npm pack: ${packed.filename}, ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} KiB packed`);
