import fs from 'node:fs';
import path from 'node:path';
import { CliError, defineCommand } from '../command.ts';
import { nonNegativeInt } from '../options.ts';
import { table } from '../format.ts';
import {
  episodesOf, loadPolicy, observedByPolicy, offPolicyEstimate, savePolicy, trainFromHistories, type PolicySummary,
} from '../../../planner/router/index.ts';

/**
 * Every run history under `dir`: `.jsonl` files in it, or in its `runs/` folder (a store's home).
 * Lines that do not parse are skipped: a torn last line must not stop learning from the rest.
 */
function readHistories(dir: string): unknown[][] {
  const runs = fs.existsSync(path.join(dir, 'runs')) ? path.join(dir, 'runs') : dir;
  if (!fs.existsSync(runs) || !fs.statSync(runs).isDirectory()) throw new CliError(`--from-history ${dir}: not a directory`);
  return fs.readdirSync(runs).filter((n) => n.endsWith('.jsonl')).sort().map((n) =>
    fs.readFileSync(path.join(runs, n), 'utf8').split('\n').flatMap((line) => {
      try { return line.trim() ? [JSON.parse(line)] : []; } catch { return []; }
    }));
}

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const row = (s: PolicySummary) => [s.policy, String(s.runs), fmt(s.success), fmt(s.cost, 4), fmt(s.latencyMs, 0), fmt(s.reward), s.estimate + (s.effectiveRuns !== undefined ? `, ${s.effectiveRuns.toFixed(1)} effective runs` : '')];

export default defineCommand({
  args: [{ name: 'action', help: 'train (learn a policy file from histories) or eval (success, cost, latency, reward per policy)' }],
  options: {
    'from-history': { help: 'a history directory (a store home with runs/, or a folder of .jsonl histories)', value: 'dir', defaultText: '$ORCHESTAI_HOME' },
    out: { help: 'train: where to write the policy file', value: 'file' },
    kind: { help: 'train: the learner', choices: ['ppo', 'bandit'], default: 'ppo' },
    seed: { help: 'train: the seed (same histories + seed = same policy)', parse: nonNegativeInt, default: 42 },
    policy: { help: 'eval: also estimate this policy file off-policy on the histories', value: 'file' },
  },
  help: [
    'Examples:',
    '  orchestai route train --from-history .orchestai --out route-policy.json --kind ppo --seed 42',
    '  orchestai route eval --from-history .orchestai --policy route-policy.json',
    'A step\'s capability is read from its route.decided events (the step id when they name none).',
  ].join('\n'),
  async run({ positionals, values, io }) {
    const action = positionals[0];
    if (action !== 'train' && action !== 'eval') throw new CliError(`route: unknown action "${action}" (expected train or eval)`);
    const dir = values['from-history'] ?? io.env.ORCHESTAI_HOME ?? path.join(io.cwd, '.orchestai');
    const histories = readHistories(path.resolve(io.cwd, dir));
    const episodes = episodesOf(histories);
    if (episodes.length === 0) throw new CliError(`route ${action}: no finished run with a routed step in ${dir} (${histories.length} histories read)`);
    if (action === 'train') {
      if (!values.out) throw new CliError('route train needs --out <policy.json>');
      const policy = await trainFromHistories(histories, { kind: values.kind as 'ppo' | 'bandit', seed: values.seed });
      const out = path.resolve(io.cwd, values.out);
      await savePolicy(policy, out, values.seed);
      if (values.json) io.out(JSON.stringify({ out, kind: values.kind, version: policy.version, runs: episodes.length, catalog: policy.catalog }));
      else io.out(`trained a ${values.kind} policy on ${episodes.length} runs -> ${out}`);
      return 0;
    }
    const rows = observedByPolicy(episodes);
    if (values.policy) rows.push(offPolicyEstimate(await loadPolicy(path.resolve(io.cwd, values.policy)), episodes));
    if (values.json) io.out(JSON.stringify({ policies: rows }));
    else io.out(table([['POLICY', 'RUNS', 'SUCCESS', 'COST', 'LATENCY_MS', 'REWARD', 'ESTIMATE'], ...rows.map(row)]));
    return 0;
  },
});
