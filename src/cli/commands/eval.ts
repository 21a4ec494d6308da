import { loadDataset } from '../../../planner/dataset.ts';
import { evaluate, type Evaluation, type PlanFailure } from '../../../planner/eval.ts';
import type { GraphLists } from '../../../planner/metrics.ts';
import { fitKnn } from '../../../planner/knn.ts';
import { isEnsemble, loadAnyModel, type AnyPlannerModel } from '../../../planner/model/io.ts';
import { catalogFingerprint } from '../../../planner/catalog.ts';
import type { Catalog } from '../../../planner/types.ts';
import { loadPlannerModel, modelText, readPreprocessing, type InputPreprocessing } from '../../../planner/default-model.ts';
import { finishPlan } from '../../../planner/finish.ts';
import { requestAsMeant } from '../../../planner/corrections.ts';
import type { Example } from '../../../planner/types.ts';
import type { Plan, PlanFn } from '../../../planner/types.ts';
import { createZeroShotPlanner } from '../../../planner/zero-shot/index.ts';
import { createGeneralPlanner, isGeneralModelDir, loadGeneralModel, GENERAL_MODEL_DIR } from '../../../planner/general/index.ts';
import { phraseNamer, type ZeroShotMethod } from '../../../planner/plan.ts';
import type { PhraseNamer } from '../../../planner/negation.ts';
import { CliError, defineCommand } from '../command.ts';
import { positiveInt } from '../options.ts';
import { projectCatalogSource, projectPlanning } from '../../project/workers.ts';

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

/** A graph on one line: its steps in order, with its links when they are not that chain. */
function graphLine(g: GraphLists): string {
  if (g.nodes.length === 0) return '(no steps)';
  const chain = g.nodes.slice(1).map((n, i) => `${g.nodes[i]}, ${n}`);
  const isChain = chain.length === g.links.length && chain.every((l) => g.links.includes(l));
  return isChain ? g.nodes.join(' > ') : `${g.nodes.join(', ')}; links ${g.links.length > 0 ? g.links.map((l) => l.replace(', ', ' -> ')).join(', ') : 'none'}`;
}

/**
 * The failures of one row, as `eval --failures` prints them: each request (cut at 100 characters),
 * its gold graph and the plan, with the plan's confidence and whether it was flagged.
 *
 * @example
 * formatFailures('model', { count: 1, shown: [failure] }, 3) // ['model: 1 of 3 plans are not the gold graph:', '  q1  "…"', ...]
 */
export function formatFailures(name: string, failures: { count: number; shown: PlanFailure[] }, n: number): string[] {
  const head = `${name}: ${failures.count} of ${n} plans are not the gold graph${failures.count > failures.shown.length ? `; the first ${failures.shown.length}` : ''}${failures.count > 0 ? ':' : ''}`;
  const lines = [head];
  for (const f of failures.shown) {
    const text = f.request.replace(/\s+/g, ' ').trim();
    lines.push(`  ${f.id}  "${text.length > 100 ? `${text.slice(0, 99)}…` : text}"`);
    lines.push(`      gold  ${graphLine(f.gold)}`);
    lines.push(`      plan  ${graphLine(f.plan)}   (confidence ${f.confidence.toFixed(3)}${f.lowConfidence ? ', flagged' : ''})`);
  }
  return lines;
}

/** Training loads tfjs; only --zero-shot over another catalog needs it. */
const loadTraining = () => import('../../../planner/train.ts');

/** What scores the examples: a plan function, its row label, and whether it reads the model's preprocessed text. */
interface Scored {
  plan: PlanFn;
  label: string;
  modelText: boolean;
  /** A trained model's reading of a declined phrase, as `plan` finishes its plans with (see `phraseNamer`). */
  namer?: PhraseNamer;
}

/** A general model (the shipped one, or one from `train --synthetic`) over the data's catalog. */
function generalForData(dir: string, catalog: Catalog): Scored {
  const model = loadGeneralModel(dir);
  const planner = createGeneralPlanner(model, catalog);
  const which = dir === GENERAL_MODEL_DIR ? 'shipped general model' : `general model (${dir})`;
  // A model from `train --general` / `--synthetic` remembers requests over this catalog: not zero-shot.
  const remembered = model.memory?.examples.length ?? 0;
  const how = remembered > 0 ? `${remembered} remembered request(s)` : 'zero-shot';
  return { plan: (s) => planner.plan(s), label: `${which}, ${how} (catalog ${catalog.tools.length} tools)`, modelText: false };
}

/**
 * The model or ensemble in `dir` over the data's catalog: as trained when it is that catalog; with
 * `zeroShot` over another catalog, what `plan` uses there (the shipped general model,
 * `general`, the default), the clause matcher (`match`) or the model adapted from the tool descriptions
 * (`adapt`); otherwise refused with the difference and the option that would plan over it. A
 * general model directory (the shipped one, or one from `train --synthetic`) is scored as it is,
 * on any catalog.
 *
 * @example
 * const { plan, label } = await plannerForData('models/ultratool', catalog, 'match');
 */
async function plannerForData(dir: string, catalog: Catalog, zeroShot: ZeroShotMethod | undefined): Promise<Scored> {
  if (isGeneralModelDir(dir)) return generalForData(dir, catalog);
  const labelOf = (m: AnyPlannerModel, how = '') => `${isEnsemble(m) ? `ensemble of ${m.members.length}` : 'model'}${how} (${dir})`;
  if (!zeroShot) {
    try {
      // As `plan` loads it: with the second opinion and calibration saved beside it, if any.
      const model = loadPlannerModel(dir, catalog);
      return { plan: (s) => model.plan(s), label: labelOf(model), modelText: true, namer: phraseNamer(model, readPreprocessing(dir)) };
    } catch (e) {
      const message = (e as Error).message;
      throw new Error(/another catalog/.test(message) ? `${message}; pass --zero-shot to plan over the data's catalog from its tool descriptions` : message);
    }
  }
  const base = loadAnyModel(dir);
  if (base.fingerprint === catalogFingerprint(catalog)) {
    const model = loadPlannerModel(dir, catalog);
    return { plan: (s) => model.plan(s), label: labelOf(model), modelText: true, namer: phraseNamer(model, readPreprocessing(dir)) };
  }
  if (zeroShot === 'general') return generalForData(GENERAL_MODEL_DIR, catalog);
  if (zeroShot === 'match') {
    const matcher = createZeroShotPlanner(catalog);
    return { plan: (s) => matcher.plan(s), label: `zero-shot clause matcher (catalog ${catalog.tools.length} tools)`, modelText: false };
  }
  const { adaptPlanner } = await loadTraining();
  const adapted = adaptPlanner(base, catalog);
  return { plan: (s) => adapted.plan(s), label: labelOf(adapted, ' adapted zero-shot'), modelText: true };
}

/** The kNN baseline as a plan function (it has no `fingerprint`/`net`, so it is not a PlannerModel). */
function knnPlanFn(knn: { plan(instruction: string): Plan }): PlanFn {
  return (instruction) => knn.plan(instruction);
}

export default defineCommand({
  options: {
    data: { help: 'the examples: an UltraTool directory, a JSONL directory with test.jsonl (and dev.jsonl), or a JSONL file', value: 'dir|file' },
    model: { help: 'a model or ensemble directory from `orchestai train` (with --zero-shot and no --model: the shipped general model; in a project listing its workers: what `plan` uses there)', value: 'dir' },
    baseline: { help: 'add the tf-idf kNN baseline row (trained on the data\'s train split)', choices: ['knn'] },
    catalog: { help: 'the worker catalog (JSON) the examples use', value: 'file' },
    'zero-shot': { help: 'plan over the data\'s catalog from its tool descriptions when the model was trained on another catalog (as `plan` does); with no --model, score the shipped general model' },
    'zero-shot-method': { help: 'with --zero-shot and --model: the shipped general model (as `plan` does), clause matching, or the trained model adapted to the catalog', choices: ['general', 'match', 'adapt'], default: 'general' },
    split: { help: 'the split to score', choices: ['test', 'dev'], default: 'test' },
    failures: { help: 'also list the first N requests whose plan is not the gold graph (gold, plan, confidence)', parse: positiveInt },
  },
  async run({ values, io }) {
    if (!values.data) throw new CliError('eval needs --data <dir|file> (UltraTool directory, a JSONL directory with test.jsonl, or a JSONL file)');
    // In a project that lists its own workers, data naming no catalog is over them, and with no model
    // named eval scores what `plan` uses there: the config's planner, else the shipped general model.
    const project = values.catalog ? undefined : await projectPlanning(io.cwd ?? process.cwd());
    const projectModel = project && !values['zero-shot'] && values.baseline === undefined ? project.modelDir ?? GENERAL_MODEL_DIR : undefined;
    if (!values.model && values.baseline === undefined && !values['zero-shot'] && !projectModel) throw new CliError('eval needs --model <dir>, --zero-shot (the shipped general model) or --baseline knn');
    // --zero-shot alone scores the shipped general model, what `plan` uses on a catalog no model knows.
    const modelDir: string | undefined = values.model ?? (values['zero-shot'] ? GENERAL_MODEL_DIR : projectModel);
    const { split } = values;
    const rows: [string, Evaluation][] = [];
    let ds;
    try {
      ds = loadDataset(values.data, { catalog: values.catalog, fileRole: 'test', fallbackCatalog: project && projectCatalogSource(project) });
      const examples = split === 'test' ? ds.test : ds.dev;
      const keep = values.failures !== undefined ? { failures: values.failures } : {};
      if (examples.length === 0) throw new Error(`${values.data}: no ${split} examples`);
      // Both planners read instructions as `plan` does: a forwarded request unquoted and second thoughts applied, then the way the
      // model was trained to (e.g. paths masked).
      const pre: InputPreprocessing = modelDir && !isGeneralModelDir(modelDir) ? readPreprocessing(modelDir) : { maskPaths: false };
      const read = (xs: Example[]) => xs.map((e) => ({ ...e, request: requestAsMeant(e.request) }));
      const prepared = (xs: Example[]) => read(xs).map((e) => ({ ...e, request: modelText(e.request, pre) }));
      if (modelDir) {
        // Loaded with the data's catalog: a model trained on another catalog is refused, naming the
        // difference, unless --zero-shot. A directory written by `train --members N` holds an ensemble.
        const scored = await plannerForData(modelDir, ds.catalog, values['zero-shot'] ? values['zero-shot-method'] as ZeroShotMethod : undefined);
        // Scored as `plan` makes them: a step the request declines, or no input reaches, is dropped (planner/finish.ts).
        const { catalog } = ds;
        const planned: PlanFn = (s) => finishPlan(scored.plan(s), s, catalog, { namer: scored.namer }).plan;
        rows.push([scored.label, evaluate(planned, scored.modelText ? prepared(examples) : read(examples), ds.catalog, keep)]);
      }
      if (values.baseline === 'knn') {
        if (ds.train.length === 0) throw new Error(`${values.data}: the kNN baseline needs training examples (a directory with train.jsonl or UltraTool data)`);
        rows.push(['knn (tf-idf, k=10)', evaluate(knnPlanFn(fitKnn(prepared([...ds.train, ...(split === 'test' ? ds.dev : [])]))), prepared(examples), ds.catalog, keep)]);
      }
      // Failures name each request as written, not as the model read it (paths masked).
      const written = new Map(examples.map((e) => [e.id, e.request]));
      for (const [, ev] of rows) for (const f of ev.failures?.shown ?? []) f.request = written.get(f.id) ?? f.request;
      if (values.json) io.out(JSON.stringify({ data: values.data, split, n: examples.length, rows: rows.map(([name, ev]) => ({ name, ...ev })) }, null, 2));
      else {
        io.out(`${split} split: ${examples.length} requests from ${values.data} (catalog ${ds.catalog.tools.length} tools)`);
        for (const line of formatTable(rows)) io.out(line);
        for (const [name, ev] of rows) if (ev.failures) for (const line of ['', ...formatFailures(name, ev.failures, ev.n)]) io.out(line);
      }
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    return 0;
  },
});
