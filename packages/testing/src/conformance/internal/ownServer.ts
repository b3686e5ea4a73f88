import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { connect, createServer } from 'node:net';

/** A free loopback port (listen on 0, read it, close). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Resolves once `port` accepts TCP connections, or rejects after `timeout` ms (at once if `child` exited). */
export const waitForPort = async (port: number, timeout: number, child?: ChildProcess): Promise<void> => {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it listened on ${port}`);
    const open = await new Promise<boolean>(resolve => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeout} ms`);
};

/** How to start a broker process of a test's own (see {@link startOwnServer}). */
export interface OwnServerOptions {
  readonly command: string;
  readonly args?: readonly string[];
  /** Extra environment (default: the parent's). */
  readonly env?: NodeJS.ProcessEnv;
  /** The server's own folder: removed by `stop()`. */
  readonly dir: string;
  /** The loopback port it listens on once ready. */
  readonly port: number;
  /** How long it may take to listen, in ms. */
  readonly timeout: number;
  /**
   * Start it in a process group of its own and stop the whole group (a wrapper script such as
   * rabbitmq-server), waiting 500 ms after the leader exits for the rest of the group.
   */
  readonly processGroup?: boolean;
}

/**
 * Spawns a broker, waits until `port` accepts connections, and returns its `stop()`: SIGTERM to
 * its own pid (or to its own process group), wait for the exit, remove `dir`. When it does not
 * listen in time (or exits first), it is stopped and the error thrown.
 */
export const startOwnServer = async (options: OwnServerOptions): Promise<() => Promise<void>> => {
  const { command, args = [], env, dir, port, timeout, processGroup = false } = options;
  const spawnOptions: SpawnOptions = { stdio: 'ignore', detached: processGroup, ...(env ? { env } : {}) };
  const child = spawn(command, [...args], spawnOptions);
  let spawnError: Error | undefined;
  child.once('error', error => void (spawnError = error)); // e.g. ENOENT: not installed
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
      try {
        if (processGroup) process.kill(-child.pid, 'SIGTERM'); // the group it was started in (detached): its own processes only
        else child.kill('SIGTERM');
      } catch {
        // gone already
      }
      await exited;
      if (processGroup) await new Promise(resolve => setTimeout(resolve, 500)); // the rest of the group stops after its leader
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, timeout, child);
  } catch (error) {
    await stop();
    throw spawnError ? new Error(`${command} could not be started (${spawnError.message}): is it installed?`, { cause: spawnError }) : error;
  }
  return stop;
};
