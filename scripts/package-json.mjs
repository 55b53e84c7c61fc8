// Prints pkg/package.json, taking name, version and description from Cargo.toml.
import { readFileSync } from 'node:fs';

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const field = (name) => (cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm')) || [])[1];

const pkg = {
  name: 'mentorkit',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  main: './mentorkit-elements.js',
  module: './mentorkit-elements.js',
  exports: {
    '.': './mentorkit-elements.js',
    './api': './mentorkit.js',
    './mentorkit_bg.wasm': './mentorkit_bg.wasm',
  },
  files: ['mentorkit-elements.js', 'mentorkit.js', 'mentorkit.d.ts', 'mentorkit_bg.wasm', 'mentorkit_bg.wasm.d.ts'],
  sideEffects: ['./mentorkit-elements.js'],
  keywords: ['mentoring', 'web-components', 'webassembly', 'forms'],
};
process.stdout.write(JSON.stringify(pkg, null, 2) + '\n');
