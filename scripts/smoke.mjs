#!/usr/bin/env node
// The smoke test: Tributary as a user outside this repository gets it.
//
//   node scripts/smoke.mjs          (npm run smoke; scripts/test.sh runs it as a step)
//   node scripts/smoke.mjs --keep   keep the temporary folder to look at it
//
// 1. Packs every packages/* with `npm pack` (its `prepack` builds it) into a temporary folder
//    under os.tmpdir(), outside the monorepo.
// 2. Follows docs/getting-started.md literally, twice: runs its ```sh setup block (the
//    `npm install` lines get the packed tarballs instead of the registry's @tributary/*,
//    everything else comes from the npm registry through the local npm cache) and writes its
//    ```… file=<path> blocks. Once as the page says (an ES module project, "type": "module"),
//    once without `npm pkg set type=module` (a CommonJS project, as the page says works).
//    In each: `npx tsc` (moduleResolution node16) and a type-check with moduleResolution
//    bundler, then on Node 22 and on Node 24: `node dist/main.js` (it must print the
//    greeting), `npx tsx src/main.ts`, `npx jest`, and a script that loads every entry point
//    of every package with `require` and with `import` and checks they are one instance.
// 3. Runs create-tributary from its tarball (`npm exec --package <tarball> create-tributary`)
//    with --transport local and --registry-tarballs, installs the generated project, and runs
//    its `npm test` and `npm start` on Node 22 and 24.
//
// The three projects install side by side, once each, with the Node 24 npm; Node 22 reuses
// the installs. The exit
// status is 1 when any step fails; the last line sums it up.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockFile, codeBlocks } from './lib/markdown.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const started = Date.now();
const seconds = since => `${((Date.now() - since) / 1000).toFixed(1)}s`;

const nodePath = major => {
  const result = spawnSync('bash', [join(root, 'scripts', 'node.sh'), major], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`scripts/node.sh ${major} failed`);
  return result.stdout.trim();
};
const nodes = { 22: nodePath('22'), 24: nodePath('24') };
const envFor = major => ({
  ...process.env,
  PATH: `${dirname(nodes[major])}:${process.env.PATH}`,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  CI: 'true',
});

const failures = [];
const report = (label, command, cwd, since, status, output, expect) => {
  const missing = expect && !output.includes(expect);
  const ok = status === 0 && !missing;
  console.log(`${ok ? '✔' : '✘'} ${label} (${seconds(since)})`);
  if (!ok) {
    failures.push(label);
    console.log(`  $ ${command}\n  in ${cwd}\n${output.trimEnd().replace(/^/gm, '  │ ')}`);
    if (missing) console.log(`  expected the output to contain: ${expect}`);
  }
  return { ok, output };
};
/** Runs a command (a bash line) in `cwd` with Node `major` first on PATH; returns its output. */
const run = (label, command, { cwd, major = 24, expect } = {}) => {
  const since = Date.now();
  const result = spawnSync('bash', ['-c', command], { cwd, env: envFor(major), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return report(label, command, cwd, since, result.status, `${result.stdout ?? ''}${result.stderr ?? ''}`, expect);
};
/** The same, without blocking: the installs run side by side. */
const runAsync = (label, command, { cwd, major = 24, expect } = {}) =>
  new Promise(resolve => {
    const since = Date.now();
    const child = spawn('bash', ['-c', command], { cwd, env: envFor(major) });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('close', status => resolve(report(label, command, cwd, since, status, output, expect)));
  });

const work = mkdtempSync(join(tmpdir(), 'tributary-smoke-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
console.log(`smoke: working in ${work}`);
console.log(`smoke: Node 22 is ${spawnSync(nodes[22], ['-v'], { encoding: 'utf8' }).stdout.trim()}, Node 24 is ${spawnSync(nodes[24], ['-v'], { encoding: 'utf8' }).stdout.trim()}`);

try {
  // --- 1. pack ------------------------------------------------------------------------------
  const packageDirs = readdirSync(join(root, 'packages')).filter(name => {
    try {
      return !JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).private;
    } catch {
      return false;
    }
  });
  const packed = run(
    `npm pack ${packageDirs.length} packages (prepack builds them)`,
    `npm pack --silent --pack-destination ${JSON.stringify(tarballs)} ${packageDirs.map(name => `-w packages/${name}`).join(' ')} >/dev/null`,
    { cwd: root },
  );
  if (!packed.ok) throw new Error('packing failed');
  const tarballOf = new Map();
  for (const file of readdirSync(tarballs)) {
    const listing = spawnSync('tar', ['-xOzf', join(tarballs, file), 'package/package.json'], { encoding: 'utf8' });
    tarballOf.set(JSON.parse(listing.stdout).name, join(tarballs, file));
  }
  console.log(`  ${[...tarballOf.keys()].join(', ')}`);

  // --- 2. the getting-started, as an ES module project and as a CommonJS project -----------
  const guide = readFileSync(join(root, 'docs', 'getting-started.md'), 'utf8');
  const blocks = codeBlocks(guide);
  const setup = blocks.find(block => block.lang === 'sh' && /\bsetup\b/.test(block.info));
  if (!setup) throw new Error('docs/getting-started.md has no ```sh setup block');
  const files = blocks.filter(block => blockFile(block));
  const projectName = /^mkdir\s+(\S+)/m.exec(setup.code)?.[1];
  if (!projectName) throw new Error('the setup block of docs/getting-started.md does not start with `mkdir <project>`');

  /** The setup block as a script: the registry's @tributary/* become the packed tarballs. */
  const setupScript = ({ commonjs }) =>
    setup.code
      .split('\n')
      .filter(line => !(commonjs && /npm pkg set type=module/.test(line)))
      .map(line => {
        if (!/^npm (install|i) /.test(line)) return line;
        const withTarballs = line.replace(/@tributary\/[\w-]+/g, name => {
          if (!tarballOf.has(name)) throw new Error(`getting-started installs ${name}, which is not a package of this repository`);
          return JSON.stringify(tarballOf.get(name));
        });
        return `${withTarballs} --prefer-offline --loglevel=error`;
      })
      .join('\n');

  const entryPoints = [...tarballOf.entries()]
    .filter(([name]) => name.startsWith('@tributary/'))
    .flatMap(([name, tarball]) => {
      const manifest = JSON.parse(spawnSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout);
      return Object.keys(manifest.exports ?? {})
        .filter(subpath => subpath !== './package.json')
        .map(subpath => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
    });
  // loads every entry point both ways: the same objects (one instance), the same names
  const bothWays = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const entries = ${JSON.stringify(entryPoints)};
let checked = 0;
for (const entry of entries) {
  let esm;
  try { esm = await import(entry); } catch (error) { if (error.code === 'ERR_MODULE_NOT_FOUND' && !entry.startsWith('@tributary/core') && !entry.startsWith('@tributary/messaging')) continue; throw error; }
  const cjs = require(entry);
  for (const [name, value] of Object.entries(esm)) {
    if (cjs[name] !== value) throw new Error(entry + ': import and require give two different ' + name);
  }
  const missing = Object.keys(cjs).filter(name => name !== '__esModule' && !(name in esm));
  if (missing.length) throw new Error(entry + ': the ES module entry lacks ' + missing.join(', '));
  checked++;
}
const { createMicroservice, Transport } = await import('@tributary/messaging');
const { messagingListener } = await import('@tributary/messaging');
try {
  await createMicroservice({ transport: Transport.AMQP, options: { host: 'amqp://127.0.0.1:1', queue: 'q' }, listener: messagingListener({ effects: [] }) });
  throw new Error('Transport.AMQP without @tributary/amqp should fail');
} catch (error) {
  if (error.name !== 'TransportNotInstalledError' || !error.message.includes('npm install @tributary/amqp')) throw error;
  console.log('TransportNotInstalledError: ' + error.message);
}
console.log('import and require agree on ' + checked + ' entry points');
`;

  const projects = [
    { label: 'ES module project', dir: join(work, 'esm'), commonjs: false },
    { label: 'CommonJS project', dir: join(work, 'cjs'), commonjs: true },
  ];
  // the three installs side by side: the two projects of the guide, and the scaffolded one
  const create = tarballOf.get('create-tributary');
  const scaffoldDir = join(work, 'scaffold');
  const service = join(scaffoldDir, 'my-service');
  mkdirSync(scaffoldDir);
  const scaffolding = create
    ? runAsync(
        'create-tributary (from its tarball): my-service --transport local',
        `npm exec --yes --prefer-offline --package=${JSON.stringify(create)} -- create-tributary my-service --transport local --registry-tarballs ${JSON.stringify(tarballs)}`,
        { cwd: scaffoldDir },
      ).then(scaffolded => scaffolded.ok && runAsync('my-service: npm install', 'npm install --prefer-offline --loglevel=error', { cwd: service }).then(r => r.ok))
    : Promise.resolve(false);
  await Promise.all(
    projects.map(async project => {
      mkdirSync(project.dir);
      project.root = join(project.dir, projectName);
      const setupLabel = `${project.label}: the setup of docs/getting-started.md (npm init, npm install × 2)`;
      project.installed = (await runAsync(setupLabel, `set -e\n${setupScript(project)}`, { cwd: project.dir })).ok;
    }),
  );
  const serviceInstalled = await scaffolding;

  for (const project of projects) {
    if (!project.installed) continue;
    for (const block of files) {
      const path = join(project.root, blockFile(block));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, block.code + '\n');
    }
    const type = JSON.parse(readFileSync(join(project.root, 'package.json'), 'utf8')).type ?? 'commonjs';
    if ((type === 'module') === project.commonjs) failures.push(`${project.label}: package.json has "type": "${type}"`);
    writeFileSync(join(project.root, 'both-ways.mjs'), bothWays);
    writeFileSync(
      join(project.root, 'tsconfig.bundler.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'preserve', moduleResolution: 'bundler', noEmit: true } }, null, 2),
    );
    run(`${project.label}: npx tsc (moduleResolution node16, "type": "${type}")`, 'npx tsc', { cwd: project.root });
    run(`${project.label}: npx tsc -p tsconfig.bundler.json (moduleResolution bundler)`, 'npx tsc -p tsconfig.bundler.json', { cwd: project.root });
    const main = join(project.root, 'dist', 'main.js');
    const emitted = existsSync(main) ? readFileSync(main, 'utf8') : '';
    const format = /\brequire\(/.test(emitted) ? 'require' : /^import /m.test(emitted) ? 'import' : 'unknown';
    if (format !== (project.commonjs ? 'require' : 'import')) failures.push(`${project.label}: dist/main.js uses ${format}`);
    console.log(`  dist/main.js loads the packages with ${format}`);
  }

  for (const major of [22, 24]) {
    for (const project of projects.filter(p => p.installed)) {
      const at = `${project.label}, Node ${major}`;
      run(`${at}: node dist/main.js`, 'node dist/main.js', { cwd: project.root, major, expect: "{ message: 'Hello, Ada!' }" });
      run(`${at}: npx tsx src/main.ts`, 'npx tsx src/main.ts', { cwd: project.root, major, expect: "{ message: 'Hello, Ada!' }" });
      run(`${at}: npx jest`, 'npx jest --ci', { cwd: project.root, major, expect: 'Tests:       3 passed, 3 total' });
      run(`${at}: every entry point by import and by require`, 'node both-ways.mjs', { cwd: project.root, major, expect: 'import and require agree' });
    }
  }

  // --- 3. create-tributary -----------------------------------------------------------------
  if (!create) failures.push('create-tributary was not packed');
  if (serviceInstalled) {
    for (const major of [22, 24]) {
      const test = run(`my-service, Node ${major}: npm test`, 'npm test 2>&1', { cwd: service, major, expect: 'passed' });
      if (test.ok && major === 24) console.log(test.output.trimEnd().replace(/^/gm, '  │ '));
      run(`my-service, Node ${major}: npm start`, 'npm start', { cwd: service, major, expect: "{ message: 'Hello, Ada!' }" });
    }
  }
} catch (error) {
  failures.push(String(error.message ?? error));
  console.log(`✘ ${error.message ?? error}`);
} finally {
  if (keep) console.log(`smoke: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

console.log(
  failures.length
    ? `Smoke: failed (${failures.length}: ${failures.join('; ')}) in ${seconds(started)}`
    : `Smoke: passed (packed packages in fresh ES module and CommonJS projects, create-tributary, Node 22 and 24) in ${seconds(started)}`,
);
process.exit(failures.length ? 1 : 0);
