import { readFile, writeFile } from 'node:fs/promises';
import type { Router } from '../../machines/routing.ts';
import { linUcb, type BanditRouter, type BanditState } from './bandit.ts';
import { CatalogMismatchError, sameCatalog, type RouterCatalog } from './catalog.ts';
import { createPpo, type PpoRouter } from './ppo.ts';
import type { PpoParams } from './ppo-net.ts';

/** A saved learned policy: what it is, which version, what it was trained on, and its weights. */
export interface PolicyFile {
  format: 'orchestai-route-policy';
  kind: 'ppo' | 'bandit';
  version: string;
  catalog: RouterCatalog;
  seed: number;
  savedAt: string;
  weights: PpoParams | BanditState;
}

/** A policy file that cannot be read or does not fit. */
export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}

/**
 * Writes a PPO or bandit router to `path` as JSON (weights inline: a few thousand numbers).
 *
 * @example
 * await savePolicy(await trainFromHistories(histories, { kind: 'ppo' }), 'route-policy.json');
 */
export async function savePolicy(router: PpoRouter | BanditRouter, path: string, seed = 42): Promise<void> {
  const kind = router.id === 'ppo' ? 'ppo' : 'bandit';
  const weights = kind === 'ppo' ? (router as PpoRouter).params : (router as BanditRouter).state();
  const file: PolicyFile = { format: 'orchestai-route-policy', kind, version: router.version, catalog: router.catalog, seed, savedAt: new Date().toISOString(), weights };
  await writeFile(path, JSON.stringify(file) + '\n');
}

/**
 * Reads a policy file into a router (greedy, not exploring, not learning: wrap it in
 * `continuousLearner` to keep it learning). With `catalog`, refuses a file trained
 * on other capabilities or candidates, in one line; without it, each request is still checked
 * against the file's catalog when routed.
 *
 * @example
 * const router = await loadPolicy('route-policy.json', { catalog });
 * await run(workflow, input, { router });
 */
export async function loadPolicy(path: string, opts: { catalog?: RouterCatalog } = {}): Promise<PpoRouter | BanditRouter> {
  let file: PolicyFile;
  try {
    file = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new PolicyFileError(`${path}: cannot read the policy file (${(e as Error).message.split('\n')[0]})`);
  }
  if (file?.format !== 'orchestai-route-policy' || (file.kind !== 'ppo' && file.kind !== 'bandit')) {
    throw new PolicyFileError(`${path}: not an orchestai route policy (format "${file?.format}", kind "${file?.kind}")`);
  }
  if (opts.catalog && !sameCatalog(file.catalog, opts.catalog)) {
    throw new CatalogMismatchError(`${path}: trained on candidates ${JSON.stringify(file.catalog.capabilities)}, not ${JSON.stringify(opts.catalog.capabilities)}; retrain it (orchestai route train)`);
  }
  const common = { catalog: file.catalog, seed: file.seed, version: Number(file.version) || 1 };
  if (file.kind === 'ppo') return createPpo(common, file.weights as PpoParams);
  return linUcb({ ...common, learning: false }, file.weights as BanditState);
}

/**
 * Whether a router is one `savePolicy` can write.
 *
 * @example
 * if (isSavable(router)) await savePolicy(router, 'policy.json');
 */
export function isSavable(router: Router): router is PpoRouter | BanditRouter {
  return router.id === 'ppo' || router.id === 'bandit';
}
