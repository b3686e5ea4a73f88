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
import { Admin } from './broker';

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
    // no holder, or its pid is being written; a pid file missing for long was never written
    try {
      if (Date.now() - fs.statSync(EXCLUSIVE).mtimeMs > 5000) fs.rmSync(EXCLUSIVE, { recursive: true, force: true });
    } catch {
      // no holder
    }
  }
  return undefined;
};

const entries = (): string[] => {
  try {
    return fs.readdirSync(DIR);
  } catch {
    return []; // the temp dir was cleaned: nobody holds the lock
  }
};

const sharedHolders = (): string[] =>
  entries().filter(name => {
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
  fs.mkdirSync(DIR, { recursive: true });
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
        fs.mkdirSync(DIR, { recursive: true });
        fs.mkdirSync(EXCLUSIVE);
        fs.writeFileSync(path.join(EXCLUSIVE, 'pid'), String(process.pid));
      } catch {
        return false;
      }
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

/**
 * For a test file that uses the broker without stopping it: holds the shared lock and an
 * `Admin` from `beforeAll` to `afterAll`. Read `broker.admin` inside tests and hooks.
 */
export const useSharedBroker = (): { readonly admin: Admin } => {
  const state: { admin?: Admin; release?: () => void } = {};
  beforeAll(async () => {
    state.release = await shareBroker();
    state.admin = await Admin.open();
  }, 160_000);
  afterAll(async () => {
    await state.admin?.close();
    state.release?.();
  });
  return {
    get admin(): Admin {
      if (!state.admin) throw new Error('useSharedBroker: the broker is only available inside tests and hooks');
      return state.admin;
    },
  };
};
