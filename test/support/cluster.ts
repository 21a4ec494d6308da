import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/cli/bin.ts');

export interface ClusterOptions {
  /** The PostgreSQL store's URL. */
  store: string;
  redis: string;
  /** The module (path) of the workflows both hubs and workers serve. */
  workflow: string;
  leaseMs: number;
  /** Attempts at once per worker process. */
  concurrency: number;
  /** Added to each process's environment. */
  env?: Record<string, string>;
  say?: (line: string) => void;
}

/**
 * `orchestai hub` and `orchestai worker` processes for the chaos suite and bench:scale, as a user
 * would start them (the CLI), which can be killed with SIGKILL and started again.
 *
 * @example
 * const cluster = new Cluster({ store, redis, workflow: 'flows/x.ts', leaseMs: 2000, concurrency: 20 });
 * cluster.spawn('hub', 0); cluster.spawn('worker', 0); await cluster.ready();
 */
/** The hub and worker processes, started again after each kill. */
export class Cluster {
  private readonly live = new Map<string, ChildProcess>();
  private readonly waiting: Promise<void>[] = [];
  readonly kills = { hub: 0, worker: 0 };

  constructor(private readonly o: ClusterOptions) {}

  spawn(kind: 'hub' | 'worker', i: number): void {
    const args =
      kind === 'hub'
        ? ['hub', '--store', this.o.store, '--redis', this.o.redis, '--workflow', this.o.workflow, '--lease', `${this.o.leaseMs}ms`]
        : ['worker', '--redis', this.o.redis, '--workflow', this.o.workflow, '--concurrency', String(this.o.concurrency)];
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...this.o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.live.set(`${kind}${i}`, child);
    let err = '';
    child.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
    this.waiting.push(
      new Promise((resolve, reject) => {
        child.stdout!.on('data', () => resolve());
        child.on('exit', (code, signal) => {
          if (signal !== 'SIGKILL' && signal !== 'SIGTERM') reject(new Error(`${kind} ${i} exited (${code ?? signal}) before it was ready: ${err.trim()}`));
        });
      }),
    );
  }

  /** Resolves when every process started so far printed its ready line. */
  async ready(): Promise<void> {
    await Promise.all(this.waiting.splice(0));
  }

  /** Kills process `i` of a kind with SIGKILL and (unless `restart` is false) starts it again. */
  async kill(kind: 'hub' | 'worker', i: number, restart = true): Promise<void> {
    const child = this.live.get(`${kind}${i}`);
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    this.kills[kind]++;
    this.o.say?.(`killed ${kind} ${i} (pid ${child.pid})`);
    if (restart) this.spawn(kind, i);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.live.values()].map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        c.kill('SIGTERM');
        const t = setTimeout(() => c.kill('SIGKILL'), 5000);
        await new Promise((r) => c.once('exit', r));
        clearTimeout(t);
      }),
    );
  }
}

