/**
 * A cross-process readers/writer lock on the broker, for jest's parallel workers: test files
 * that stop the broker (`rabbitmqctl stop_app`) hold it exclusively, every other amqp test
 * file holds it shared. So an outage never lands in the middle of another file's test.
 *
 * Files in a directory under the OS temp dir: `exclusive/` (mkdir is atomic) and one
 * `shared-<pid>-<id>` file per holder. A holder whose process died is ignored and removed.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const DIR = path.join(os.tmpdir(), 'tributary-amqp-broker-lock');
const EXCLUSIVE = path.join(DIR, 'exclusive');
const WAIT_STEP = 100;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

const exclusiveHolder = (): number | undefined => {
  try {
    const pid = Number(fs.readFileSync(path.join(EXCLUSIVE, 'pid'), 'utf8'));
    if (pid && alive(pid)) return pid;
    fs.rmSync(EXCLUSIVE, { recursive: true, force: true });
  } catch {
    // no holder, or it is being written: mkdir decides
  }
  return undefined;
};

const sharedHolders = (): string[] =>
  fs.readdirSync(DIR).filter(name => {
    if (!name.startsWith('shared-')) return false;
    const pid = Number(name.split('-')[1]);
    if (pid === process.pid) return false;
    if (alive(pid)) return true;
    fs.rmSync(path.join(DIR, name), { force: true });
    return false;
  });

const until = async (done: () => boolean, timeout: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`broker lock: ${what} for more than ${timeout} ms`);
    await sleep(WAIT_STEP);
  }
};

/** Holds the broker shared (no outage meanwhile); resolves with the release function. */
export const shareBroker = async (timeout = 150_000): Promise<() => void> => {
  fs.mkdirSync(DIR, { recursive: true });
  await until(() => exclusiveHolder() === undefined || exclusiveHolder() === process.pid, timeout, 'waited for a broker outage test');
  const file = path.join(DIR, `shared-${process.pid}-${randomUUID()}`);
  fs.writeFileSync(file, '');
  return () => fs.rmSync(file, { force: true });
};

/** Holds the broker exclusively (may stop it); resolves with the release function. */
export const ownBroker = async (timeout = 150_000): Promise<() => void> => {
  fs.mkdirSync(DIR, { recursive: true });
  await until(
    () => {
      if (exclusiveHolder() !== undefined) return false;
      try {
        fs.mkdirSync(EXCLUSIVE);
      } catch {
        return false;
      }
      fs.writeFileSync(path.join(EXCLUSIVE, 'pid'), String(process.pid));
      return true;
    },
    timeout,
    'waited for another broker outage test',
  );
  try {
    await until(() => sharedHolders().length === 0, timeout, 'waited for other amqp tests to finish');
  } catch (error) {
    fs.rmSync(EXCLUSIVE, { recursive: true, force: true });
    throw error;
  }
  return () => fs.rmSync(EXCLUSIVE, { recursive: true, force: true });
};
