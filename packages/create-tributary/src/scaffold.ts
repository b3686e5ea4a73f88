import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ScaffoldError } from './ScaffoldError';
import { DEFAULT_SCAFFOLD_OPTIONS, ScaffoldOptions, TRANSPORTS } from './ScaffoldOptions';
import { effectsFile, eventsFile, mainFile, testFile } from './templates/code';
import { composeFile } from './templates/compose';
import { gitignoreFile, jestConfigFile, packageJsonFile, readmeFile, tsconfigBuildFile, tsconfigFile } from './templates/project';

const ownVersion = (): string => (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** `@tributary/x` → `file:` the tarball `tributary-x-<version>.tgz` in `dir`. */
const tarballResolver = (dir: string) => {
  const folder = resolve(dir);
  if (!existsSync(folder)) throw new ScaffoldError(`--registry-tarballs ${dir}: no such folder. Give the folder that \`npm pack\` wrote the tarballs to.`);
  const files = readdirSync(folder);
  return (pkg: string): string => {
    const prefix = `${pkg.replace(/^@/, '').replace('/', '-')}-`;
    const found = files.find(file => file.startsWith(prefix) && file.endsWith('.tgz') && /^\d/.test(file.slice(prefix.length)));
    if (!found) throw new ScaffoldError(`--registry-tarballs ${dir}: no ${prefix}<version>.tgz there. Pack ${pkg} into it (npm pack -w ${pkg} --pack-destination ${dir}).`);
    return `file:${join(folder, found)}`;
  };
};

/**
 * Writes a new Tributary service into `options.directory`: event codecs, an effect, the
 * microservice, a test with `@tributary/testing`, tsconfig, jest config, README, and a
 * `compose.yaml` for the broker. Returns the files written (relative paths).
 *
 * @example
 * ```ts
 * import { scaffold } from 'create-tributary';
 * const files = scaffold({ directory: 'my-service', transport: 'redis' });
 * files.includes('compose.yaml'); // true
 * ```
 * @since 0.2.0
 * @category scaffold
 */
export const scaffold = (options: ScaffoldOptions): string[] => {
  const transport = options.transport ?? DEFAULT_SCAFFOLD_OPTIONS.transport;
  if (!TRANSPORTS.includes(transport)) {
    throw new ScaffoldError(`Unknown transport "${String(transport)}": use one of ${TRANSPORTS.join(', ')} (--transport local).`);
  }
  const target = resolve(options.directory);
  const name = basename(target).toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  if (!name || name.startsWith('.') || name.startsWith('_')) {
    throw new ScaffoldError(`"${options.directory}" does not make a package name: give a folder name such as my-service.`);
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new ScaffoldError(`${target} exists and is not empty: give a new folder name, or empty it first.`);
  }
  const version = options.version ?? `^${ownVersion()}`;
  const tributary = options.registryTarballs ? tarballResolver(options.registryTarballs) : (): string => version;

  const files: Record<string, string | undefined> = {
    'package.json': packageJsonFile(name, transport, tributary),
    'tsconfig.json': tsconfigFile(),
    'tsconfig.build.json': tsconfigBuildFile(),
    'jest.config.json': jestConfigFile(),
    '.gitignore': gitignoreFile(),
    'README.md': readmeFile(name, transport),
    'compose.yaml': composeFile(transport),
    'src/events.ts': eventsFile(),
    'src/effects.ts': effectsFile(),
    'src/main.ts': mainFile(name, transport),
    'test/effects.test.ts': testFile(),
  };
  const written: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    if (content === undefined) continue;
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
    written.push(path);
  }
  return written;
};
