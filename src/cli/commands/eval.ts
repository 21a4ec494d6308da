import { loadDataset } from '../../../planner/dataset.ts';
import { evaluate, type Evaluation } from '../../../planner/eval.ts';
import { fitKnn } from '../../../planner/knn.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnsemble, loadModel } from '../../../planner/model/io.ts';
import { modelText, readPreprocessing, type InputPreprocessing } from '../../../planner/default-model.ts';
import type { Example } from '../../../planner/types.ts';
import type { Plan, PlanFn } from '../../../planner/types.ts';
import { CliError, defineCommand } from '../command.ts';

const COLUMNS: [string, keyof Evaluation][] = [
  ['NF', 'nodeF1'], ['LF', 'linkF1'], ['Acc', 'accuracy'], ['NH-1', 'nh1'], ['NH-2', 'nh2'], ['LH-1', 'lh1'], ['LH-2', 'lh2'],
];

/**
 * The paper's table: one row per planner, metrics in percent, plus validity and latency.
 *
 * @example
 * formatTable([['model', ev]]) // ['planner  NF     LF     Acc ...', 'model    91.20  ...']
 */
export function formatTable(rows: [string, Evaluation][]): string[] {
  const nameWidth = Math.max(7, ...rows.map(([n]) => n.length));
  const head = ['planner'.padEnd(nameWidth), ...COLUMNS.map(([c]) => c.padStart(6)), 'invalid'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8)].join('  ');
  const lines = [head];
  for (const [name, ev] of rows) {
    lines.push(
      [
        name.padEnd(nameWidth),
        ...COLUMNS.map(([, k]) => (100 * (ev[k] as number)).toFixed(2).padStart(6)),
        String(ev.invalidPlans).padStart(8),
        ev.latencyMs.p50.toFixed(2).padStart(8),
        ev.latencyMs.p99.toFixed(2).padStart(8),
      ].join('  '),
    );
  }
  return lines;
}

/** The kNN baseline as a plan function (it has no `fingerprint`/`net`, so it is not a PlannerModel). */
function knnPlanFn(knn: { plan(instruction: string): Plan }): PlanFn {
  return (instruction) => knn.plan(instruction);
}

export default defineCommand({
  options: {
    data: { help: 'the examples: an UltraTool directory, a JSONL directory with test.jsonl (and dev.jsonl), or a JSONL file', value: 'dir|file' },
    model: { help: 'a model or ensemble directory from `orchestai train`', value: 'dir' },
    baseline: { help: 'add the tf-idf kNN baseline row (trained on the data\'s train split)', choices: ['knn'] },
    catalog: { help: 'the worker catalog (JSON) the examples use', value: 'file' },
    split: { help: 'the split to score', choices: ['test', 'dev'], default: 'test' },
  },
  async run({ values, io }) {
    if (!values.data) throw new CliError('eval needs --data <dir|file> (UltraTool directory, a JSONL directory with test.jsonl, or a JSONL file)');
    if (!values.model && values.baseline === undefined) throw new CliError('eval needs --model <dir> (or only --baseline knn)');
    const { split } = values;
    const rows: [string, Evaluation][] = [];
    let ds;
    try {
      ds = loadDataset(values.data, { catalog: values.catalog, fileRole: 'test' });
      const examples = split === 'test' ? ds.test : ds.dev;
      if (examples.length === 0) throw new Error(`${values.data}: no ${split} examples`);
      // Both planners read instructions the way the model was trained to (e.g. paths masked).
      const pre: InputPreprocessing = values.model ? readPreprocessing(values.model) : { maskPaths: false };
      const prepared = (xs: Example[]) => xs.map((e) => ({ ...e, request: modelText(e.request, pre) }));
      if (values.model) {
        // Loaded with the data's catalog: a model trained on another catalog is refused, naming the difference.
        // A directory written by `train --members N` holds an ensemble.
        if (existsSync(join(values.model, 'ensemble.json'))) {
          const ens = loadEnsemble(values.model, ds.catalog);
          rows.push([`ensemble of ${ens.members.length} (${values.model})`, evaluate((s) => ens.plan(s), prepared(examples), ds.catalog)]);
        } else rows.push([`model (${values.model})`, evaluate(loadModel(values.model, ds.catalog), prepared(examples), ds.catalog)]);
      }
      if (values.baseline === 'knn') {
        if (ds.train.length === 0) throw new Error(`${values.data}: the kNN baseline needs training examples (a directory with train.jsonl or UltraTool data)`);
        rows.push(['knn (tf-idf, k=10)', evaluate(knnPlanFn(fitKnn(prepared([...ds.train, ...(split === 'test' ? ds.dev : [])]))), prepared(examples), ds.catalog)]);
      }
      if (values.json) io.out(JSON.stringify({ data: values.data, split, n: examples.length, rows: rows.map(([name, ev]) => ({ name, ...ev })) }, null, 2));
      else {
        io.out(`${split} split: ${examples.length} requests from ${values.data} (catalog ${ds.catalog.tools.length} tools)`);
        for (const line of formatTable(rows)) io.out(line);
      }
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    return 0;
  },
});
