import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyWorker, WorkerContext } from '../../machines/worker.ts';

/** A worker context outside the hub: no clock, no cost sink. */
export function ctx(runId = 'test-run'): WorkerContext {
  return { runId, step: 'test', attempt: 1, signal: new AbortController().signal, sleep: async () => {}, reportCost: () => {} };
}

/** Runs a worker the way the hub does: input parsed by its schema, output checked by its schema. */
export async function call<O = any>(worker: AnyWorker, input: unknown, runId?: string): Promise<O> {
  const out = await worker.run(worker.input.parse(input), ctx(runId));
  return worker.output.parse(out) as O;
}

export const fixture = (rel: string) => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
export const readFixture = (rel: string) => readFileSync(fixture(rel), 'utf8');
export const tempDir = (prefix = 'orchestai-wf-') => mkdtempSync(join(tmpdir(), prefix));
