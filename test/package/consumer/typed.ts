// A strict TypeScript consumer (moduleResolution NodeNext): the package's declarations type-check
// and carry the workers' zod types through to their run functions.
import { z } from 'zod';
import { defineWorker, defineWorkflow, run, type HistoryEvent, type RunResult } from 'orchestai';
import { fromInput, template } from 'orchestai/transformers';
import { compilePlan, plan, type Plan } from 'orchestai/planner';
import { buildWebsite, defaultWorkers } from 'orchestai/workflows';
import { compileWorkflow } from 'orchestai/machines';

const stats = defineWorker({
  name: 'stats',
  description: 'Counts characters.',
  input: z.object({ text: z.string() }),
  output: z.object({ chars: z.number() }),
  run: ({ text }) => ({ chars: text.length }),
});

const wf = defineWorkflow({ id: 'stats', steps: [{ id: 'stats', worker: stats, input: fromInput(), onSuccess: 'succeeded' }], onFailure: 'failed' });
const prompt = template({ prompt: 'About {{input.topic}}' });

export async function main(): Promise<void> {
  const result: RunResult = await run(wf, { text: 'typed' });
  const planned: Plan = await plan('Summarise notes.md and extract its keywords');
  const planned_wf = compilePlan(planned, defaultWorkers);
  const config = compileWorkflow(buildWebsite()).config;
  const first: HistoryEvent | undefined = undefined;
  console.log(result.status, planned_wf.id, typeof config, first, typeof prompt);
}

// @ts-expect-error a worker's run gets its input typed from the zod schema: text is a string
defineWorker({ name: 'bad', description: 'x', input: z.object({ text: z.string() }), output: z.number(), run: ({ text }) => text * 2 });
