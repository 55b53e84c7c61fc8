// Prints pkg/package.json, taking name, version, description, licence and
// repository from Cargo.toml.
import { readFileSync } from 'node:fs';

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const field = (name) => (cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm')) || [])[1];

const pkg = {
  name: 'mentorkit',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  ...(field('repository') ? { repository: { type: 'git', url: field('repository') } } : {}),
  type: 'module',
  main: './mentorkit-elements.js',
  module: './mentorkit-elements.js',
  types: './mentorkit-elements.d.ts',
  exports: {
    '.': { types: './mentorkit-elements.d.ts', default: './mentorkit-elements.js' },
    './agreement': { types: './mentorkit-agreement.d.ts', default: './mentorkit-agreement.js' },
    './feedback': { types: './mentorkit-feedback.d.ts', default: './mentorkit-feedback.js' },
    './mentorkit_agreement_bg.wasm': './mentorkit_agreement_bg.wasm',
    './mentorkit_feedback_bg.wasm': './mentorkit_feedback_bg.wasm',
    './mentorkit_history_bg.wasm': './mentorkit_history_bg.wasm',
    './mentorkit_document_bg.wasm': './mentorkit_document_bg.wasm',
    './mentorkit_history.js': './mentorkit_history.js',
    './mentorkit_document.js': './mentorkit_document.js',
    './mentorkit_api.js': './mentorkit_api.js',
    './mentorkit_net.js': './mentorkit_net.js',
    './i18n/*': './i18n/*',
    './schemas/*': './schemas/*',
    './package.json': './package.json',
  },
  files: ['mentorkit-elements.js', 'mentorkit-elements.d.ts', 'mentorkit-agreement.js', 'mentorkit-agreement.d.ts', 'mentorkit-feedback.js', 'mentorkit-feedback.d.ts', 'mentorkit_agreement_bg.wasm', 'mentorkit_feedback_bg.wasm', 'mentorkit_document_bg.wasm', 'mentorkit_history_bg.wasm', 'mentorkit_document.js', 'mentorkit_history.js', 'mentorkit_api.js', 'mentorkit_net.js', 'i18n/*.json', 'schemas/', 'README.md'],
  sideEffects: ['./mentorkit-elements.js', './mentorkit-agreement.js', './mentorkit-feedback.js'],
  browser: './mentorkit-elements.js',
  engines: { node: '>=18' },
  keywords: ['mentoring', 'mentoring-agreement', 'feedback', 'web-components', 'custom-elements', 'webassembly', 'forms'],
};
process.stdout.write(JSON.stringify(pkg, null, 2) + '\n');
