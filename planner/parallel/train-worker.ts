import { parentPort } from 'node:worker_threads';
import { train } from '../train.ts';
import { buildModel } from '../model/planner.ts';
import { modelParts, type TrainRequest, type TrainReply } from './messages.ts';

// One job at a time per thread: the pool sends the next only after the reply to this one.
const port = parentPort;
if (!port) throw new Error('planner/parallel/train-worker.ts runs as a worker thread (see TrainPool)');
port.on('message', async (req: TrainRequest) => {
  try {
    const from = req.from && buildModel(req.from);
    const model = await train(req.examples, req.catalog, {
      ...req.options, from,
      onEpoch: (info) => port.postMessage({ id: req.id, epoch: info } satisfies TrainReply),
    });
    const parts = modelParts(model);
    // modelParts made fresh copies, so handing their buffers over instead of cloning them is safe.
    const buffers = [parts.idf, ...Object.values(parts.weights).map((w) => w.data)].map((a) => a.buffer as ArrayBuffer);
    port.postMessage({ id: req.id, parts } satisfies TrainReply, buffers);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id: req.id, error: err.message, stack: err.stack } satisfies TrainReply);
  }
});
