#!/usr/bin/env node
// Type-checks every TypeScript code block of the guides, and checks their relative links.
//
//   npx tsc -b && node scripts/check-docs.mjs
//
// What it does:
// - Reads every docs/**/*.md (docs/api, the generated TypeDoc output, is skipped).
// - Extracts each ```ts (or ```typescript) block into its own file under
//   node_modules/.cache/tributary-docs/<page>/, one ES module per block (the folder has a
//   package.json with "type": "module"), so blocks never see each other's declarations and
//   may use top-level `await`.
// - A block may name its file: ```ts file=src/greeter.ts. Blocks of the same page can then
//   import it as users would (`import { listener } from './greeter.js'`), which lets a guide
//   build a small app over several blocks. Other blocks are named after their line.
// - Compiles them all, with docs/**/*.ts (tests that run the guides' claims under jest), using
//   the repository's TypeScript: `module`/`moduleResolution` Node16, `strict`, Node and Jest
//   globals. `@tributary/*` resolve through the workspace symlinks in node_modules to
//   packages/*/dist, so build first (`npx tsc -b`). Unused locals and parameters are allowed:
//   snippets often declare things only to show them.
// - Then runs, with jest, the blocks whose file name ends with `.test.ts` (```ts
//   file=test/greeter.test.ts): the tests the guides show must pass. `--no-run` skips this.
// - A block opts out with ```ts nocheck. Use it only for deliberately partial code (a
//   fragment that cannot stand alone); everything else must compile.
// - Checks that every relative link in the guides points to an existing file and, for links
//   to Markdown headings (`page.md#anchor`, `#anchor`), to an existing heading.
//
// Errors are reported as `docs/<page>.md:<line>:<column>` of the Markdown source, and the
// script exits with status 1.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const docsDir = join(root, 'docs');
const outDir = join(root, 'node_modules', '.cache', 'tributary-docs');
const require = createRequire(join(root, 'package.json'));
const ts = require('typescript');

const rel = file => relative(root, file).split(sep).join('/');

/** Every file under docs/ ending with `extension`, except the generated API reference. */
const docsFiles = (extension, dir = docsDir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(docsDir, 'api') ? [] : docsFiles(extension, path);
    return entry.name.endsWith(extension) ? [path] : [];
  });

/**
 * The fenced code blocks of a Markdown text: `{ lang, info, line, indent, code }` where `line`
 * is the 1-based line of the opening fence. Indented fences (inside list items) lose their
 * indent (`indent` characters).
 */
const codeBlocks = text => {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^(\s*)(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[2][0] === fence[0] && close[2].length >= fence.length) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ lang: lang.toLowerCase(), info: info.trim(), line: i + 1, indent: indent.length, code: body.join('\n') });
    i = j;
  }
  return blocks;
};

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
const anchorsOf = text => {
  const anchors = new Set();
  const seen = new Map();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
};

const problems = [];
const report = (file, line, column, message) => problems.push(`${rel(file)}:${line}:${column} - ${message}`);

// --- links -------------------------------------------------------------------------------

const files = docsFiles('.md').sort();
const texts = new Map(files.map(file => [file, readFileSync(file, 'utf8')]));
const anchorCache = new Map();
const anchorsIn = file => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(texts.get(file) ?? readFileSync(file, 'utf8')));
  return anchorCache.get(file);
};

for (const [file, text] of texts) {
  let inFence = false;
  text.split('\n').forEach((line, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) return;
    const withoutCode = line.replace(/`[^`]*`/g, m => ' '.repeat(m.length));
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const [path, anchor] = target.split('#');
      const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      const column = match.index + 3;
      if (rel(resolved).startsWith('docs/api/') || rel(resolved) === 'docs/api') continue; // generated by `npm run docs`
      if (!existsSync(resolved)) {
        report(file, index + 1, column, `broken link: ${target} (no file ${rel(resolved)})`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !anchorsIn(resolved).has(anchor)) {
        report(file, index + 1, column, `broken link: ${target} (no heading #${anchor} in ${rel(resolved)})`);
      }
    }
  });
}

// --- code blocks -------------------------------------------------------------------------

if (!existsSync(join(root, 'packages', 'core', 'dist', 'index.d.ts'))) {
  console.error('check-docs: packages are not built. Run `npx tsc -b` first.');
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

writeFileSync(join(outDir, 'package.json'), '{ "type": "module", "private": true }\n');

/** Block file → where it came from. */
const origins = new Map();
let skipped = 0;
for (const [file, text] of texts) {
  const pageDir = join(outDir, rel(file).replace(/\.md$/, '').replace(/[^\w]+/g, '_'));
  for (const block of codeBlocks(text)) {
    if (block.lang !== 'ts' && block.lang !== 'typescript') continue;
    if (/\bnocheck\b/.test(block.info)) {
      skipped++;
      continue;
    }
    const named = /(?:^|\s)file=(\S+\.ts)\b/.exec(block.info)?.[1];
    const blockFile = resolve(pageDir, named ?? `L${block.line}.ts`);
    if (!blockFile.startsWith(pageDir + sep)) {
      report(file, block.line, 1, `file=${named} must stay inside the page's folder`);
      continue;
    }
    if (origins.has(blockFile)) {
      report(file, block.line, 1, `file=${named} is already the name of the block at line ${origins.get(blockFile).line}`);
      continue;
    }
    mkdirSync(dirname(blockFile), { recursive: true });
    // line N of the block file is line `block.line + N` of the Markdown file
    writeFileSync(blockFile, block.code + '\n');
    origins.set(blockFile, { file, line: block.line, indent: block.indent });
  }
}
const sources = docsFiles('.ts').filter(file => !file.endsWith('.d.ts'));

const options = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  noUnusedLocals: false,
  noUnusedParameters: false,
  types: ['node', 'jest'],
  typeRoots: [join(root, 'node_modules', '@types')],
};

const program = ts.createProgram([...origins.keys(), ...sources], options);
const diagnostics = ts.getPreEmitDiagnostics(program);
for (const diagnostic of diagnostics) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n      ');
  if (!diagnostic.file) {
    problems.push(`(compiler) - error TS${diagnostic.code}: ${message}`);
    continue;
  }
  const origin = origins.get(resolve(diagnostic.file.fileName));
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  if (origin) {
    report(origin.file, origin.line + line + 1, origin.indent + character + 1, `error TS${diagnostic.code}: ${message}`);
  } else {
    problems.push(`${rel(diagnostic.file.fileName)}:${line + 1}:${character + 1} - error TS${diagnostic.code}: ${message}`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`\ncheck-docs: ${problems.length} problem(s) in ${files.length} pages. Block files are in ${rel(outDir)}/.`);
  process.exit(1);
}

// --- the guides' tests ---------------------------------------------------------------------

const tests = [...origins.entries()].filter(([blockFile]) => blockFile.endsWith('.test.ts'));
if (tests.length > 0 && !process.argv.includes('--no-run')) {
  // jest with the repository's transform; `./x.js` imports map to `./x.ts` as under tsc
  const config = {
    rootDir: outDir,
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: [],
    haste: { retainAllFiles: true }, // the blocks live under node_modules/.cache
    transformIgnorePatterns: ['/node_modules/(?!\\.cache/tributary-docs/)'],
    transform: {
      '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
    },
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    testEnvironment: 'node',
  };
  writeFileSync(join(outDir, 'jest.config.json'), JSON.stringify(config, null, 2));
  const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--config', join(outDir, 'jest.config.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (jest.status !== 0) {
    console.error('\ncheck-docs: a test shown in the guides fails. Its block:');
    for (const [blockFile, origin] of tests) console.error(`  ${rel(blockFile)} ← ${rel(origin.file)}:${origin.line}`);
    process.exit(1);
  }
}

console.log(
  `check-docs: ${origins.size} TypeScript blocks${sources.length ? ` and ${sources.length} docs/**/*.ts files` : ''} compile` +
    `${skipped ? ` (${skipped} blocks marked nocheck)` : ''}` +
    `${tests.length && !process.argv.includes('--no-run') ? `; the ${tests.length} test blocks pass` : ''}; links resolve; ${files.length} pages.`,
);
