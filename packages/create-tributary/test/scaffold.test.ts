import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, scaffold, ScaffoldError } from 'create-tributary';

describe('scaffold', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'create-tributary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const read = (path: string): string => readFileSync(join(dir, path), 'utf8');

  it('writes a local service without a compose file', () => {
    const files = scaffold({ directory: join(dir, 'My Service'), transport: 'local' });
    expect(files.sort()).toEqual(
      ['.gitignore', 'README.md', 'jest.config.json', 'package.json', 'src/effects.ts', 'src/events.ts', 'src/main.ts', 'test/effects.test.ts', 'tsconfig.build.json', 'tsconfig.json'].sort(),
    );
    const manifest = JSON.parse(read('My Service/package.json'));
    expect(manifest.name).toBe('my-service');
    expect(manifest.dependencies['@tributary/messaging']).toBe('^0.1.0');
    expect(manifest.devDependencies['@tributary/testing']).toBe('^0.1.0');
    expect(read('My Service/src/main.ts')).toContain("transport: Transport.LOCAL, options, listener");
    expect(read('My Service/README.md')).toMatch(/npm test[\s\S]*npm start/);
  });

  it.each([
    ['amqp', '@tributary/amqp', 'image: rabbitmq:4-management', 'Transport.AMQP'],
    ['redis', '@tributary/redis', 'image: redis:7', 'Transport.REDIS'],
    ['kafka', '@tributary/kafka', 'image: apache/kafka:', 'Transport.KAFKA'],
  ] as const)('writes a %s service with its package and a compose.yaml for its broker', (transport, pkg, image, member) => {
    scaffold({ directory: join(dir, 'svc'), transport });
    expect(JSON.parse(read('svc/package.json')).dependencies[pkg]).toBe('^0.1.0');
    expect(read('svc/compose.yaml')).toContain(image);
    expect(read('svc/src/main.ts')).toContain(member);
  });

  it('points the @tributary dependencies at packed tarballs with registryTarballs', () => {
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    for (const file of ['tributary-core-0.1.0.tgz', 'tributary-messaging-0.1.0.tgz', 'tributary-testing-0.1.0.tgz']) writeFileSync(join(tarballs, file), '');
    scaffold({ directory: join(dir, 'svc'), registryTarballs: tarballs });
    const manifest = JSON.parse(read('svc/package.json'));
    expect(manifest.dependencies['@tributary/core']).toBe(`file:${join(tarballs, 'tributary-core-0.1.0.tgz')}`);
    expect(() => scaffold({ directory: join(dir, 'other'), transport: 'amqp', registryTarballs: tarballs })).toThrow(
      /no tributary-amqp-<version>\.tgz there/,
    );
  });

  it('refuses a folder that is not empty, and an unknown transport', () => {
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'x'), '');
    expect(() => scaffold({ directory: join(dir, 'taken') })).toThrow(ScaffoldError);
    expect(() => scaffold({ directory: join(dir, 'svc'), transport: 'tcp' as never })).toThrow(/Unknown transport "tcp"/);
  });
});

describe('parseCommandLine', () => {
  it('reads the folder, the transport and the tarball folder', () => {
    expect(parseCommandLine(['svc', '--transport', 'redis'])).toEqual({ directory: 'svc', transport: 'redis' });
    expect(parseCommandLine(['svc'], { TRIBUTARY_TARBALLS: '/t' })).toEqual({ directory: 'svc', transport: 'local', registryTarballs: '/t' });
    expect(parseCommandLine(['--help'])).toBe('help');
    expect(() => parseCommandLine([])).toThrow(/Give the folder to create/);
    expect(() => parseCommandLine(['svc', '--transport', 'smtp'])).toThrow(/Unknown transport "smtp"/);
  });
});
