import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/** A Node that can run fauxqs (it needs node:sqlite, Node ≥ 22.5): this one, or Node 24 from scripts/node.sh. */
const nodeForFauxqs = (): string => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 5)) return process.execPath;
  return execFileSync('bash', [path.join(ROOT, 'scripts/node.sh'), '24'], { encoding: 'utf8' }).trim();
};

export interface Fauxqs {
  /** `http://127.0.0.1:<port>`: SQS and SNS on one endpoint. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts fauxqs on a free loopback port, in a child process of this test. */
export const startFauxqs = async (): Promise<Fauxqs> => {
  const child: ChildProcess = spawn(nodeForFauxqs(), [path.join(__dirname, 'fauxqs-server.mjs')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fauxqs did not start within 20 s: ${out}`)), 20_000);
    child.once('exit', code => reject(new Error(`fauxqs exited with ${code}: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find(l => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { address: string }).address);
      }
    });
  });
  return {
    endpoint,
    stop: () =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};
