// A throw-away Redis Cluster on loopback: three masters (no replicas), each its own redis-server on a free port
// (and a free cluster bus port, port + 10000) in a temp dir, the slots spread by `redis-cli --cluster create`.
// Stopped by pid, dir removed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A running cluster: the masters' ports (any one is a seed for clients). */
export interface RedisCluster {
  ports: number[];
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10000 > 65535 || taken.has(port) || taken.has(port + 10000)) continue;
    if (await portFree(port + 10000)) {
      taken.add(port).add(port + 10000);
      return port;
    }
  }
}

function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).stdout ?? '';
}

/** Starts `masters` cluster-enabled redis-servers, creates the cluster and waits until every node says `cluster_state:ok`. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rsc-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) ports.push(await clusterPort(taken));
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000'],
      { stdio: 'ignore' },
    ),
  );
  const exits = children.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
  const stop = async (): Promise<void> => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await Promise.all(exits);
    rmSync(dir, { recursive: true, force: true });
  };
  const wait = async (what: string, ready: () => boolean): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!ready()) {
      if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
        await stop();
        throw new Error(`redis cluster: ${what}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await wait('servers did not answer PING', () => ports.every((port) => cli(port, 'PING').trim() === 'PONG'));
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (create.status !== 0) {
    await stop();
    throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  }
  await wait('cluster_state did not become ok', () => ports.every((port) => cli(port, 'CLUSTER', 'INFO').includes('cluster_state:ok')));
  return { ports, stop };
}
