/**
 * Shares RabbitMQ with the amqp package's integration tests, which may stop the broker to test
 * outages: the same cross-process readers/writer lock as packages/amqp/test/helpers/brokerLock.ts
 * (files under `<tmpdir>/tributary-amqp-broker-lock`). An AMQP cell holds it shared, so an
 * outage test waits for the cell instead of landing in the middle of it, and the cell waits
 * (bounded) for an outage test in progress.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const DIR = path.join(os.tmpdir(), 'tributary-amqp-broker-lock');
const EXCLUSIVE = path.join(DIR, 'exclusive');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const outageTestRunning = (): boolean => {
  try {
    const pid = Number(fs.readFileSync(path.join(EXCLUSIVE, 'pid'), 'utf8'));
    return Boolean(pid) && alive(pid);
  } catch {
    return false;
  }
};

/** Holds the broker shared; resolves with the release function. Waits at most `timeoutMs` for an outage test. */
export const shareRabbitMq = async (timeoutMs: number): Promise<() => void> => {
  const deadline = Date.now() + timeoutMs;
  while (outageTestRunning() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 200));
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `shared-${process.pid}-${randomUUID()}`);
  fs.writeFileSync(file, '');
  return () => fs.rmSync(file, { force: true });
};
