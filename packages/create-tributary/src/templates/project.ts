import type { TransportName } from '../ScaffoldOptions';
import { TRANSPORT_TEMPLATES } from './transports';

/** The versions of the tools a scaffolded project uses (the ones Tributary is tested with). */
export const TOOL_VERSIONS = {
  rxjs: '^7.8.1',
  'fp-ts': '^2.16.9',
  'io-ts': '^2.2.21',
  typescript: '^5.9.3',
  '@types/node': '^22.0.0',
  tsx: '^4.19.0',
  jest: '^29.7.0',
  '@types/jest': '^29.5.12',
  '@swc/core': '^1.15.0',
  '@swc/jest': '^0.2.36',
} as const;

const pick = (...names: Array<keyof typeof TOOL_VERSIONS>): Record<string, string> =>
  Object.fromEntries(names.map(name => [name, TOOL_VERSIONS[name]]));

/** package.json; `tributary(name)` gives the dependency specifier of a @tributary package. */
export const packageJsonFile = (name: string, transport: TransportName, tributary: (pkg: string) => string): string => {
  const transportPackage = TRANSPORT_TEMPLATES[transport].package;
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      start: 'tsc -p tsconfig.build.json && node dist/main.js',
      dev: 'tsx src/main.ts',
      test: 'tsc --noEmit && jest',
    },
    engines: { node: '>=22' },
    dependencies: {
      '@tributary/core': tributary('@tributary/core'),
      '@tributary/messaging': tributary('@tributary/messaging'),
      ...(transportPackage ? { [transportPackage]: tributary(transportPackage) } : {}),
      ...pick('fp-ts', 'io-ts', 'rxjs'),
    },
    devDependencies: {
      '@tributary/testing': tributary('@tributary/testing'),
      ...pick('@swc/core', '@swc/jest', '@types/jest', '@types/node', 'jest', 'tsx', 'typescript'),
    },
  };
  return JSON.stringify(manifest, null, 2) + '\n';
};

/** tsconfig.json: type-checks src and test (editors and `npm test` use it). */
export const tsconfigFile = (): string =>
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        types: ['node', 'jest'],
        noEmit: true,
      },
      include: ['src', 'test'],
    },
    null,
    2,
  ) + '\n';

/** tsconfig.build.json: compiles src to dist. */
export const tsconfigBuildFile = (): string =>
  JSON.stringify(
    {
      extends: './tsconfig.json',
      compilerOptions: { noEmit: false, types: ['node'], rootDir: 'src', outDir: 'dist' },
      include: ['src'],
    },
    null,
    2,
  ) + '\n';

/** jest.config.json: @swc/jest compiles the TypeScript; `./x.js` imports mean `./x.ts`. */
export const jestConfigFile = (): string =>
  JSON.stringify(
    {
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      transform: { '^.+\\.ts$': '@swc/jest' },
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
    null,
    2,
  ) + '\n';

export const gitignoreFile = (): string => 'node_modules/\ndist/\n';

/** README.md: the two commands, and the broker. */
export const readmeFile = (name: string, transport: TransportName): string => {
  const { broker, package: transportPackage } = TRANSPORT_TEMPLATES[transport];
  const brokerSection = broker
    ? `The service talks to ${broker}. \`compose.yaml\` runs it in a container:

\`\`\`sh
docker compose up -d      # or: podman compose up -d
\`\`\`

The tests do not need it: they run the effects on an in-process broker.
`
    : `The service uses the in-process transport: everything runs in one Node.js process, no
broker needed. To move to a broker, scaffold with \`--transport amqp\`, \`redis\` or \`kafka\`
and compare \`src/main.ts\`: only the transport and its options change.
`;
  return `# ${name}

A [Tributary](https://www.npmjs.com/package/@tributary/core) service${transportPackage ? ` on \`${transportPackage}\`` : ''}.

\`\`\`sh
npm test      # type-checks, then runs the tests (test/) on an in-process broker
npm start     # builds, starts the service and sends it one request
\`\`\`

${brokerSection}
| file | what it is |
| --- | --- |
| \`src/events.ts\` | the event codecs (\`Greet\`, \`Greeted\`) |
| \`src/effects.ts\` | the effect \`greet$\` and the listener that runs it |
| \`src/main.ts\` | the microservice on its transport, and a client |
| \`test/effects.test.ts\` | the listener tested with \`@tributary/testing\` |
`;
};
