#!/usr/bin/env node
import { relative } from 'node:path';
import { parseCommandLine, USAGE } from './parseCommandLine';
import { scaffold } from './scaffold';

// `npm create tributary@latest my-service -- --transport amqp` runs this file
try {
  const options = parseCommandLine(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
  } else {
    const files = scaffold(options);
    const where = relative(process.cwd(), options.directory) || '.';
    console.log(`Created ${where} (transport: ${options.transport}):\n${files.map(file => `  ${file}`).join('\n')}\n`);
    console.log(`Next:\n  cd ${where}\n  npm install\n  npm test${files.includes('compose.yaml') ? '\n  docker compose up -d   # the broker' : ''}\n  npm start`);
  }
} catch (error) {
  console.error(error instanceof Error && error.name === 'ScaffoldError' ? error.message : error);
  process.exitCode = 1;
}
