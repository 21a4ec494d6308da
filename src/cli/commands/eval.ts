import { loadDataset } from '../../../planner/dataset.ts';
import { evaluate, type Evaluation } from '../../../planner/eval.ts';
import { fitKnn } from '../../../planner/knn.ts';
import { isEnsemble, loadAnyModel, type AnyPlannerModel } from '../../../planner/model/io.ts';
import { catalogFingerprint } from '../../../planner/catalog.ts';
import type { Catalog } from '../../../planner/types.ts';
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

/** Training loads tfjs; only --zero-shot over another catalog needs it. */
const loadTraining = () => import('../../../planner/train.ts');

/**
 * The model or ensemble in `dir`, bound to the data's catalog: as trained when it is that catalog,
 * adapted from the tool descriptions with `zeroShot`, and otherwise refused with the difference
 * and the option that would plan over it.
 *
 * @example
 * const model = await modelForData('models/ultratool', catalog, true);
 */
async function modelForData(dir: string, catalog: Catalog, zeroShot: boolean): Promise<AnyPlannerModel> {
  if (!zeroShot) {
    try {
      return loadAnyModel(dir, catalog);
    } catch (e) {
      const message = (e as Error).message;
      throw new Error(/another catalog/.test(message) ? `${message}; pass --zero-shot to plan over the data's catalog from its tool descriptions` : message);
    }
  }
  const base = loadAnyModel(dir);
  if (base.fingerprint === catalogFingerprint(catalog)) return base;
  const { adaptPlanner } = await loadTraining();
  return adaptPlanner(base, catalog);
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
    'zero-shot': { help: 'score a model trained on another catalog over the data\'s catalog, from its tool descriptions' },
    split: { help: 'the split to score', choices: ['test', 'dev'], default: 'test' },
  },
  async run({ values, io }) {
    if (!values.data) throw new CliError('eval needs --data <dir|file> (UltraTool directory, a JSONL directory with test.jsonl, or a JSONL file)');
    if (!values.model && values.baseline === undefined) throw new CliError('eval needs --model <dir> (or only --baseline knn)');
    if (values['zero-shot'] && !values.model) throw new CliError('--zero-shot applies to --model <dir>');
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
        // Loaded with the data's catalog: a model trained on another catalog is refused, naming the
        // difference, unless --zero-shot. A directory written by `train --members N` holds an ensemble.
        const model = await modelForData(values.model, ds.catalog, Boolean(values['zero-shot']));
        const label = `${isEnsemble(model) ? `ensemble of ${model.members.length}` : 'model'}${values['zero-shot'] ? ' zero-shot' : ''} (${values.model})`;
        rows.push([label, evaluate((s) => model.plan(s), prepared(examples), ds.catalog)]);
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
