#!/usr/bin/env node
// Keeps the ranges by which the packages depend on each other at `^<current version>`,
// peerDependencies included (lerna bumps dependencies, not peer ranges; under 1.0 a caret
// range does not accept the next minor: ^0.1.0 refuses 0.2.0). Runs as the root `version`
// script, which `lerna version` runs after bumping the versions and before committing.
//
//   node scripts/sync-peer-ranges.mjs           rewrite the ranges
//   node scripts/sync-peer-ranges.mjs --check   only report; exit 1 when one is stale

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const manifests = readdirSync(join(root, 'packages'))
  .map(name => join(root, 'packages', name, 'package.json'))
  .filter(path => existsSync(path))
  .map(path => ({ path, text: readFileSync(path, 'utf8') }))
  .map(entry => ({ ...entry, json: JSON.parse(entry.text) }));
const versions = new Map(manifests.map(({ json }) => [json.name, json.version]));

let stale = 0;
for (const { path, text, json } of manifests) {
  let updated = text;
  for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(json[field] ?? {})) {
      const wanted = versions.has(name) ? `^${versions.get(name)}` : undefined;
      if (!wanted || range === wanted) continue;
      stale++;
      console.log(`${json.name}: ${field}["${name}"] ${range} → ${wanted}`);
      // replace in the text, so that the file keeps its layout
      updated = updated.replace(new RegExp(`("${name.replace(/[/]/g, '\\/')}"\\s*:\\s*)"${range.replace(/[.^~*]/g, '\\$&')}"`), `$1"${wanted}"`);
    }
  }
  if (!check && updated !== text) writeFileSync(path, updated);
}
if (check && stale) process.exit(1);
console.log(`sync-peer-ranges: ${stale ? `${stale} range(s) ${check ? 'stale' : 'updated'}` : 'every range is current'}`);
