// Entry of a training worker thread. The planner is TypeScript and a worker does not always inherit
// the parent's loader (the CLI registers tsx at run time, not through execArgv), so register it here.
import { register } from 'tsx/esm/api';
register();
await import('./train-worker.ts');
