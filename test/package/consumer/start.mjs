// A run started from code with run(), not from the CLI: the CLI and the viewer find its workflow
// through orchestai.config.ts by the id the history records.
import { run } from 'orchestai';
import { tsImport } from 'tsx/esm/api';

const { greetWorkflow } = await tsImport('./flows/greet.ts', import.meta.url);
const result = await run(greetWorkflow, { name: 'Grace' });
console.log(JSON.stringify({ status: result.status, output: result.output, runId: result.runId }));
