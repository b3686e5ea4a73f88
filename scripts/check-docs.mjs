#!/usr/bin/env node
// Type-checks every TypeScript code block of the guides, and checks their relative links.
//
//   npx tsc -b && node scripts/check-docs.mjs
//
// What it does:
// - Reads every docs/**/*.md (docs/api, the generated TypeDoc output, is skipped).
// - Extracts each ```ts (or ```typescript) block into its own file under
//   node_modules/.cache/tributary-docs/<page>/, one module per block, so blocks never see each
//   other's declarations. Each page folder is a fresh project as docs/getting-started.md sets
//   one up: a package.json with "type": "module" (so blocks may use top-level `await`), no
//   other. A page that sets up a project itself (a ```json file=tsconfig.json block, as
//   getting-started) is compiled a second time as a CommonJS project (<page>_commonjs/, a
//   package.json without "type"), since it promises that both work.
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
import { codeBlocks } from './lib/markdown.mjs';

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


/** Block file → where it came from. */
const origins = new Map();
let skipped = 0;
// Each page is its own project, as a user's: a folder with the package.json of the project
// docs/getting-started.md sets up (`npm init -y`, then `npm pkg set type=module`). A page that
// sets up a project itself (it has a ```json file=tsconfig.json block, as getting-started
// does) promises that its code also works in a CommonJS project (`npm init -y` alone): its
// blocks are compiled a second time in a folder without "type": "module".
const projects = [];
for (const [file, text] of texts) {
  const pageDir = join(outDir, rel(file).replace(/\.md$/, '').replace(/[^\w]+/g, '_'));
  const blocks = codeBlocks(text);
  projects.push({ file, text, pageDir, type: 'module' });
  if (blocks.some(block => block.lang === 'json' && /(?:^|\s)file=tsconfig\.json\b/.test(block.info))) {
    projects.push({ file, text, pageDir: `${pageDir}_commonjs`, type: 'commonjs' });
  }
}
for (const { file, text, pageDir, type } of projects) {
  mkdirSync(pageDir, { recursive: true });
  writeFileSync(join(pageDir, 'package.json'), JSON.stringify({ name: 'docs-page', private: true, ...(type === 'module' ? { type } : {}) }) + '\n');
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
