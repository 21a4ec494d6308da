import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The package as a user gets it: `npm pack` (which builds dist/ through prepack), then the tarball
 * installed with production dependencies only into a new project outside this repository. Done
 * once per test process and shared by the packaging and README tests.
 */

export const ROOT = path.resolve(import.meta.dirname, '../..');
const CONSUMER = path.join(ROOT, 'test/package/consumer');

export interface PackedFile { path: string; size: number }
export interface Packed {
  tarball: string;
  /** Compressed size in bytes, as npm reports it. */
  size: number;
  files: PackedFile[];
  /** The user's project: the consumer fixture files plus node_modules with the installed tarball. */
  project: string;
}

let packed: Promise<Packed> | undefined;

/** Packs and installs once; later calls get the same project. */
export function packedProject(): Promise<Packed> {
  packed ??= Promise.resolve().then(packAndInstall);
  return packed;
}

function packAndInstall(): Packed {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-pack-'));
  const out = npm(['pack', '--json', '--pack-destination', work], ROOT);
  const [info] = JSON.parse(out.stdout);
  const project = path.join(work, 'project');
  fs.cpSync(CONSUMER, project, { recursive: true });
  // --prefer-offline: the dependencies come from npm's cache that `npm ci` filled, not the network.
  // --engine-strict: a dependency that declares it needs a newer Node than this one (ours says 20.19) fails the install.
  npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--engine-strict', path.join(work, info.filename)], project);
  return { tarball: path.join(work, info.filename), size: info.size, files: info.files, project };
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return r;
}

/** The environment a user's shell would have: no ORCHESTAI_HOME from the test runner, no tsx preloaded. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, NO_COLOR: '1' };
  delete env.ORCHESTAI_HOME;
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs a command in the user's project; throws with its output unless it exits 0. */
export function inProject(project: string, cmd: string, args: string[], extra: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, { cwd: project, encoding: 'utf8', env: userEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${e.status}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}
