// Plain JavaScript, no build step: two workers, one workflow, one run.
import { z } from 'zod';
import { defineWorker, defineWorkflow, run } from 'orchestai';
import { fromInput } from 'orchestai/transformers';

const split = defineWorker({
  name: 'split',
  description: 'Splits a sentence into words.',
  input: z.object({ text: z.string() }),
  output: z.object({ words: z.array(z.string()) }),
  run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean) }),
});

const count = defineWorker({
  name: 'count',
  description: 'Counts words.',
  input: z.object({ words: z.array(z.string()) }),
  output: z.object({ count: z.number() }),
  run: ({ words }) => ({ count: words.length }),
});

const workflow = defineWorkflow({
  id: 'count-words',
  steps: [
    { id: 'split', worker: split, input: fromInput(), onSuccess: 'count' },
    { id: 'count', worker: count, onSuccess: 'succeeded' },
  ],
  onFailure: 'failed',
});

const result = await run(workflow, { text: 'the hub decides what runs next' });
console.log(JSON.stringify({ status: result.status, output: result.output, runId: result.runId }));
