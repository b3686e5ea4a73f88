import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';

/** The seed nodes of the test cluster started by `cluster.sh` (127.0.0.1:7000–7005). */
export const CLUSTER_NODES = [7000, 7001, 7002].map(port => ({ host: '127.0.0.1', port }));

const script = join(__dirname, 'cluster.sh');

/** Starts the six-node test cluster (reused when healthy); ~3 s. */
export const startCluster = (): void => {
  execFileSync(script, ['start'], { stdio: 'pipe', timeout: 60_000 });
};

/** Stops the nodes `cluster.sh` started (by their pid files; never port 6379). */
export const stopCluster = (): void => {
  execFileSync(script, ['stop'], { stdio: 'pipe', timeout: 30_000 });
};

/** Starts a node the test killed again, as a supervisor would: it rejoins as a replica. */
export const restartNode = (port: number): void => {
  execFileSync(script, ['restart-node', String(port)], { stdio: 'pipe', timeout: 30_000 });
};

/** A plain ioredis cluster client for setup and checks. */
export const clusterAdmin = (): Cluster => new Cluster(CLUSTER_NODES, { redisOptions: { maxRetriesPerRequest: 3 } });

/** The master node owning `key`'s slot: its port and process id. */
export const masterOf = async (admin: Cluster, key: string): Promise<{ port: number; pid: number }> => {
  const slot = Number(await admin.cluster('KEYSLOT', key));
  const lines = String(await admin.cluster('NODES')).trim().split('\n');
  for (const line of lines) {
    const [, address, flags, , , , , state, ...ranges] = line.split(' ');
    if (!flags.includes('master') || flags.includes('fail') || state !== 'connected') continue;
    const owns = ranges.some(range => {
      const [from, to = from] = range.split('-').map(Number);
      return slot >= from && slot <= to;
    });
    if (!owns) continue;
    const port = Number(address.split('@')[0].split(':')[1]);
    const node = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    try {
      const info = await node.info('server');
      return { port, pid: Number(/process_id:(\d+)/.exec(info)?.[1]) };
    } finally {
      node.disconnect();
    }
  }
  throw new Error(`No connected master owns slot ${slot} of ${key}`);
};
