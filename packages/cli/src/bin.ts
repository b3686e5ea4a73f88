#!/usr/bin/env node
import { runCli } from './runCli';

void runCli(process.argv.slice(2), {
  out: text => void process.stdout.write(text),
  err: text => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
}).then(code => {
  process.exitCode = code;
  // a connection attempt still pending (an unreachable host) must not keep the command alive
  setTimeout(() => process.exit(code), 1000).unref();
});
