import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portOpen } from './environment';

/** The port of the benchmark's own Mosquitto (the machine's stays on 1883). */
export const BENCH_MOSQUITTO_PORT = 18831;

/** A running private Mosquitto, and how to stop it. */
export interface BenchMosquitto {
  readonly url: string;
  stop(): void;
}

/**
 * Starts a Mosquitto of the benchmark's own on 127.0.0.1:18831 with `set_tcp_nodelay true`
 * (Mosquitto's default is off: each QoS 1 request/reply then waits ~44 ms on delayed ACKs,
 * whoever the client is, which would measure the broker's setting and not the clients) and no
 * persistence. Returns undefined, with the reason, when the binary is not there: the MQTT cells
 * then use the machine's broker on 1883, and the report says so.
 */
export const startBenchMosquitto = async (port = BENCH_MOSQUITTO_PORT): Promise<BenchMosquitto | string> => {
  if (spawnSync('mosquitto', ['-h'], { stdio: 'ignore' }).error) return 'mosquitto is not on PATH';
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const root = process.getuid?.() === 0 ? 'user root\n' : '';
  writeFileSync(conf, `${root}listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\nlog_dest none\n`);
  const child: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: 'ignore', detached: false });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    if ((await portOpen(`mqtt://127.0.0.1:${port}`, port)) === undefined) return { url: `mqtt://127.0.0.1:${port}`, stop };
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  stop();
  return `mosquitto did not answer on 127.0.0.1:${port} (is the port taken?)`;
};
