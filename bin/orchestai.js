#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on load so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';
register();
// `orchestai runs | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e) => (e.code === 'EPIPE' ? process.exit(0) : Promise.reject(e)));
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit once output is flushed: a finished run must not wait on stray timers or sockets.
process.exitCode = code;
setImmediate(() => process.exit(code));
