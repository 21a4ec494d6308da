// CommonJS: require() loads the ESM package (Node 20.19+ and 22.12+ do so without a flag).
const { defineWorker, defineWorkflow, run } = require('orchestai');
const { z } = require('zod');

const upper = defineWorker({
  name: 'upper',
  description: 'Upper-cases a text.',
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
  run: ({ text }) => ({ text: text.toUpperCase() }),
});

const workflow = defineWorkflow({ id: 'shout', steps: [{ id: 'upper', worker: upper, onSuccess: 'succeeded' }], onFailure: 'failed' });

run(workflow, { text: 'from commonjs' }).then((r) => console.log(JSON.stringify({ status: r.status, output: r.output })));
