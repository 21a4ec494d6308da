import fs from 'node:fs';
import path from 'node:path';
import { startRun } from '../../run.ts';
import { createJsonlStore } from '../../history/jsonl-store.ts';
import type { HistoryEvent } from '../../../machines/history/events.ts';
import { CliError, defineCommand, type CliIO } from '../command.ts';
import { ms, parseInputArg, preview } from '../format.ts';
import { resolveWorkflowRef, type ResolvedWorkflow } from '../../project/resolve.ts';
import { Progress } from '../progress.ts';
import { integer, positiveInt } from '../options.ts';
import { isPostgresUrl } from '../../server/open-store.ts';
import { storeOption, storeSpec } from '../store-option.ts';
import { submitRun, waitForRun } from '../../hub/client.ts';
import type { RunStore } from '../../history/run-store.ts';
import type { Json } from '../../../transformers/index.ts';
import { exitCodeOf, onStopSignals } from '../signals.ts';

/** The Stately inspector bridge, only for --inspect. */
const loadInspector = () => import('../../inspect/stately.ts');
/** The planner and its model, only for an instruction. */
const loadPlanRun = () => import('../plan-run.ts');

export default defineCommand({
  args: [{ name: 'workflow|module|"instruction"', help: 'a built-in workflow, a workflow id of orchestai.config.ts, a module path, or an instruction in quotes for the planner' }],
  options: {
    input: { help: 'the run input: inline JSON, @file.json, or the path of a file (becomes {"path": ...})', value: 'json|@file.json|path' },
    concurrency: { help: 'at most this many steps run at once', parse: positiveInt, defaultText: 'no limit' },
    fsync: { help: 'fsync the history after every event (slower; survives power loss)' },
    inspect: { help: 'show the run in the Stately inspector' },
    yes: { help: 'run a low-confidence plan without asking', short: 'y' },
    model: { help: 'for an instruction: the planner model directory (a single model or an ensemble)', value: 'dir' },
    catalog: { help: 'for an instruction: the worker catalog file (as plan --catalog takes)', value: 'file', defaultText: 'the workers of orchestai.config.ts, else the built-in ones' },
    mcp: { help: 'for an instruction: plan over and run the tools of this MCP server (stdio), e.g. "node server.mjs"', value: 'command' },
    'mcp-url': { help: 'for an instruction: plan over and run the tools of the MCP server at this streamable HTTP URL', value: 'url' },
    store: { help: 'a postgres:// store: submit the run there for the hubs (`orchestai hub`) to drive, and wait for its end', value: 'url', defaultText: '$ORCHESTAI_STORE if a postgres:// URL, else this process with JSONL' },
    priority: { help: 'with a postgres:// store: the run\'s priority, lower first', parse: integer({ min: -1_000_000, max: 1_000_000 }), defaultText: '0' },
  },
  async run({ positionals, values, io }) {
    const ref = positionals[0];
    if (!ref || ref.trim() === '') throw new CliError('run needs a workflow name, a module path or an instruction in quotes (got an empty one)');
    const spec = await storeSpec(values.store, io);
    if (spec && isPostgresUrl(spec)) return submitToHubs(ref, spec, values, io);
    if (values.priority !== undefined) throw new CliError('--priority orders runs waiting for a hub: it needs a postgres:// store (--store or $ORCHESTAI_STORE)');
    const resolved = await resolveOrPlan(ref, values, io);
    const input = readInput(values.input, io) ?? resolved.defaultInput ?? null;
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    let runId = '';
    const stop = onStopSignals((signal) => io.err(`${signal}: interrupting run ${runId}; continue it with \`orchestai resume ${runId}\` (again to exit at once)`));
    const progress = io.isTTY && !values.json ? new Progress(resolved.workflow, (s) => process.stdout.write(s)) : null;
    let inspector: { inspect: (e: any) => void; stop: () => void; flush?: (ms?: number) => Promise<boolean>; url?: string } | undefined;
    if (values.inspect) {
      inspector = await (await loadInspector()).createStatelyInspector();
      io.err(`Stately inspector: ${inspector!.url ?? 'started'}`);
    }
    let handle: ReturnType<typeof startRun>;
    const onApprovalRequested = async (step: string) => {
      const msg = `step ${JSON.stringify(step)} waits for approval`;
      if (io.isTTY) {
        // The progress line would overwrite the prompt: it clears itself until the answer.
        const ask = () => io.confirm(`${msg}. Approve?`);
        const ok = progress ? await progress.whilePaused(ask) : await ask();
        ok ? handle.approve(step, { by: io.env.USER ?? 'cli' }) : handle.reject(step, { by: io.env.USER ?? 'cli' });
      } else io.err(`${msg}: decide with \`orchestai approve ${handle.runId} ${step}\` (add --reject to refuse), from any shell`);
    };
    handle = startRun(resolved.workflow, input as any, {
      store,
      source: resolved.source,
      instruction: (resolved as any).instruction,
      interruptSignal: stop.signal,
      concurrency: values.concurrency,
      durability: values.fsync ? 'fsync' : 'batched',
      inspect: inspector?.inspect,
      onEvent: progress ? (e: HistoryEvent) => progress.update(e) : undefined,
      onApprovalRequested,
    });
    runId = handle.runId;
    if (!values.json) io.err(`run ${handle.runId} (${resolved.workflow.id}) started; history: ${store.pathOf(handle.runId)}`);
    progress?.start();
    const result = await handle.result.finally(async () => {
      stop.dispose();
      progress?.finish();
      // An MCP connection (--mcp) lives as long as the run: interrupted, failed or done.
      await (resolved as { close?: () => Promise<void> }).close?.();
    });
    if (inspector) {
      // A short run ends before the inspector's socket is up: give it time to deliver what was recorded.
      const delivered = await inspector.flush?.(5000);
      if (delivered === false) io.err('Stately inspector: no inspector connected within 5 s; nothing was shown there');
      inspector.stop();
    }
    if (values.json) io.out(JSON.stringify({ runId: result.runId, status: result.status, output: result.output, error: result.error, cost: result.cost, durationMs: result.durationMs, history: store.pathOf(result.runId) }));
    else {
      io.out(`${result.status} in ${ms(result.durationMs)}, cost ${result.cost} (run ${result.runId})`);
      if (result.output !== undefined) io.out(`output: ${preview(result.output, 400)}`);
      if (result.error) io.out(`error: ${result.error.name}: ${result.error.message}`);
    }
    return exitCodeOf(result.status);
  },
});

/**
 * The scale-out path: records the run in the PostgreSQL store, where a hub serving its workflow
 * takes it, then follows it to its end. A planned run cannot go there: hubs drive the workflows
 * they load, and a plan is made here.
 */
async function submitToHubs(ref: string, spec: string, values: Record<string, any>, io: CliIO): Promise<number> {
  if (/\s/.test(ref.trim()) && !fs.existsSync(path.resolve(io.cwd, ref))) throw new CliError('an instruction is planned and run in this process: run it without a postgres:// store (hubs drive the workflows they load)');
  const { workflow, defaultInput } = await resolveWorkflowRef(ref, io.cwd);
  const input = readInput(values.input, io) ?? defaultInput ?? null;
  const opened = await storeOption(spec, io);
  const store = opened.store as RunStore; // a postgres:// spec opens the database store
  try {
    const runId = await submitRun(store, workflow.id, input as Json, values.priority === undefined ? {} : { priority: values.priority });
    if (!values.json) io.err(`run ${runId} (${workflow.id}) submitted to ${store.location}; a hub serving ${workflow.id} drives it`);
    const finished = await waitForRun(store, runId);
    if (values.json) io.out(JSON.stringify({ runId, status: finished.status, output: finished.output, error: finished.error, cost: finished.cost, durationMs: finished.durationMs }));
    else {
      io.out(`${finished.status} in ${ms(finished.durationMs)}, cost ${finished.cost} (run ${runId})`);
      if (finished.output !== undefined) io.out(`output: ${preview(finished.output, 400)}`);
      if (finished.error) io.out(`error: ${finished.error.name}: ${finished.error.message}`);
    }
    return exitCodeOf(finished.status);
  } finally {
    await opened.close();
  }
}

/** A ref that is neither a built-in nor a file and reads like a sentence is an instruction for the planner. */
async function resolveOrPlan(ref: string, values: Record<string, any>, io: { cwd: string; env?: Record<string, string | undefined>; isTTY: boolean; err(s: string): void; confirm(q: string): Promise<boolean> }): Promise<ResolvedWorkflow> {
  const looksLikeInstruction = /\s/.test(ref.trim()) && !fs.existsSync(path.resolve(io.cwd, ref));
  if (!looksLikeInstruction) {
    if (values.mcp !== undefined || values['mcp-url'] !== undefined) throw new CliError('--mcp and --mcp-url are for an instruction in quotes, e.g. orchestai run "Count the words of notes.md" --mcp "node server.mjs"');
    return resolveWorkflowRef(ref, io.cwd);
  }
  return (await loadPlanRun()).planForRun(ref, { model: values.model, catalog: values.catalog, yes: values.yes, mcp: values.mcp, mcpUrl: values['mcp-url'], inputGiven: values.input !== undefined, io });
}

/** `--input`: inline JSON, @file.json, or a path (relative to the working directory). */
function readInput(raw: string | undefined, io: { cwd: string }) {
  const at = (p: string) => path.resolve(io.cwd, p);
  return parseInputArg(raw, { readFile: (p) => fs.readFileSync(at(p), 'utf8'), exists: (p) => fs.existsSync(at(p)) && fs.statSync(at(p)).isFile() });
}
