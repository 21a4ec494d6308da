#!/usr/bin/env node
/**
 * The `orchestai` executable (package.json `bin`, compiled to dist/src/cli/bin.js). From a checkout,
 * `node --import tsx src/cli/bin.ts` runs the same from source.
 */
import { main } from './main.ts';

// `orchestai runs | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));
}
const code = await main(process.argv.slice(2));
// Exit once output is flushed: a finished run must not wait on stray timers or sockets.
process.exitCode = code;
setImmediate(() => process.exit(code));
