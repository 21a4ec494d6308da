import { resume } from '../../resume.ts';
import { createJsonlStore } from '../../history/jsonl-store.ts';
import type { HistoryStore } from '../../history/store.ts';
import { CliError, defineCommand, type CliIO } from '../command.ts';
import { ms, preview } from '../format.ts';
import { recordedMcpServer, resolveRecordedWorkflow, type McpWorkersForRun } from '../../project/resolve.ts';
import type { EventOf } from '../../../machines/history/events.ts';
import { exitCodeOf, onStopSignals } from '../signals.ts';

export default defineCommand({
  args: [{ name: 'runId', help: 'the run to continue (see `orchestai runs --status interrupted`)', required: false }],
  options: {
    all: { help: 'continue every interrupted run of the store' },
    workflow: { help: 'the workflow to continue it with, instead of the one its history names (found through orchestai.config.ts)', value: 'name|module' },
    mcp: { help: 'for a run planned over an MCP server: the server to continue it with (stdio), e.g. "node server.mjs"; a history never starts one', value: 'command' },
    'mcp-url': { help: 'for a run planned over an MCP server: the streamable HTTP URL of the server to continue it with', value: 'url' },
  },
  async run({ positionals, values, io }) {
    const runId = positionals[0];
    if (!runId && !values.all) throw new CliError('resume needs a run id, or --all for every interrupted run');
    if (runId && values.all) throw new CliError('resume takes a run id or --all, not both');
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const ids = values.all ? store.listRuns({ status: 'interrupted', limit: Number.MAX_SAFE_INTEGER }).runs.map((r) => r.runId) : [runId!];
    if (values.all && ids.length === 0) {
      io.out(`no interrupted runs in ${store.root}`);
      return 0;
    }
    if (runId && !store.exists(runId)) throw new CliError(`unknown run ${JSON.stringify(runId)} in ${store.root}`);
    const named = values.mcp ?? values['mcp-url'];
    if (named !== undefined && values.workflow) throw new CliError('--workflow and --mcp name what to continue the run with; give one of them');
    if (named !== undefined && runId && !recordedMcpServer(firstEvent(store, runId).source)) throw new CliError(`run ${runId} was not planned over an MCP server: resume it without --mcp/--mcp-url`);
    const mcp = await connectNamedServer(values, io);
    const stop = onStopSignals((signal) => io.err(`${signal}: interrupting ${ids.length === 1 ? `run ${ids[0]}` : `${ids.length} runs`}; they can be resumed again (again to exit at once)`));
    try {
      const codes = await Promise.all(ids.map((id) => resumeOne(store, id, { workflow: values.workflow, mcp, json: values.json, many: ids.length > 1, signal: stop.signal }, io)));
      return Math.max(...codes);
    } finally {
      stop.dispose();
      await mcp?.close();
    }
  },
});

/** Resumes one run and reports how it ended; returns its exit code. */
async function resumeOne(store: HistoryStore, runId: string, opts: { workflow?: string; mcp?: McpWorkersForRun; json?: boolean; many: boolean; signal: AbortSignal }, io: CliIO): Promise<number> {
  if (!store.exists(runId)) throw new CliError(`unknown run ${JSON.stringify(runId)} in ${store.root}`);
  const events = store.read(runId, { onWarning: () => {} });
  // A run planned over an MCP server continues only over the server the user names (opts.mcp): its
  // history just hints at it. One that already finished runs nothing more, so stand-ins do (replayOnly).
  const finished = events.some((e) => e.type === 'run.finished');
  const { workflow } = await resolveRecordedWorkflow(events[0] as EventOf<'run.started'>, { cwd: io.cwd, override: opts.workflow, mcp: opts.mcp, replayOnly: finished && !opts.mcp });
  const result = await resume(runId, {
    workflow,
    store,
    onWarning: io.err,
    interruptSignal: opts.signal,
    // No prompt here: the decision can come from any shell, and reaches this process within a second.
    onApprovalRequested: (step) => io.err(`run ${runId}: step ${JSON.stringify(step)} waits for approval: decide with \`orchestai approve ${runId} ${step}\` (add --reject to refuse)`),
  });
  const prefix = opts.many ? `${runId}: ` : '';
  if (opts.json) io.out(JSON.stringify({ runId, resumed: result.resumed, status: result.status, output: result.output, error: result.error, cost: result.cost, durationMs: result.durationMs }));
  else {
    io.out(`${prefix}${result.resumed ? `resumed and ${result.status} in ${ms(result.durationMs)}` : `already finished: ${result.status}`}`);
    if (result.output !== undefined) io.out(`${prefix}output: ${preview(result.output, 400)}`);
    if (result.error) io.out(`${prefix}error: ${result.error.name}: ${result.error.message}`);
  }
  return exitCodeOf(result.status);
}

const firstEvent = (store: HistoryStore, runId: string) => store.read(runId, { onWarning: () => {} })[0] as EventOf<'run.started'>;

/**
 * The MCP server `--mcp`/`--mcp-url` names, connected, as workers a recorded MCP plan is rebuilt
 * over; undefined when neither is given. The caller closes it once every run has ended.
 */
async function connectNamedServer(values: { mcp?: string; 'mcp-url'?: string }, io: CliIO): Promise<(McpWorkersForRun & { close(): Promise<void> }) | undefined> {
  if (values.mcp === undefined && values['mcp-url'] === undefined) return undefined;
  // Loaded only here: the MCP SDK is not needed to resume any other run.
  const { mcpFromCli, recordedServerHint } = await import('../plan-run.ts');
  const connection = (await mcpFromCli({ mcp: values.mcp, mcpUrl: values['mcp-url'], cwd: io.cwd }))!;
  // Named for messages as a history would record it: a URL's query or a flag's secret never reaches an error.
  const hint = recordedServerHint({ mcp: values.mcp, mcpUrl: values['mcp-url'] });
  return { workers: connection.workers, label: hint.command !== undefined ? `\`${hint.command}\`` : (hint.url ?? 'the server'), close: connection.close };
}
