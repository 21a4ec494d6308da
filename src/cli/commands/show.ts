import fs from 'node:fs';
import { loadHistory } from '../history-source.ts';
import { CliError, defineCommand } from '../command.ts';
import { ms, preview, table } from '../format.ts';
import { buildTimeline, renderTimelineSvg } from '../../viz/timeline.ts';

export default defineCommand({
  args: [{ name: 'runId', help: 'the run to show (see `orchestai runs`)' }],
  options: {
    format: { help: 'text table, or an SVG timeline', choices: ['text', 'svg'], default: 'text' },
    out: { help: 'with --format svg: write the SVG to this file instead of stdout', value: 'file' },
    store: { help: 'read the run from this store: a postgres:// URL or a JSONL folder', value: 'url|dir', defaultText: '$ORCHESTAI_STORE if a postgres:// URL, else $ORCHESTAI_HOME' },
  },
  async run({ positionals, values, io }) {
    const runId = positionals[0];
    if (!runId) throw new CliError('show needs a run id (see `orchestai runs`)');
    const { events: history } = await loadHistory(runId, io, values.store);
    if (values.format === 'svg') {
      const svg = renderTimelineSvg(history);
      if (values.out) fs.writeFileSync(values.out, svg);
      else io.out(svg);
      return 0;
    }
    const tl = buildTimeline(history);
    if (values.json) {
      io.out(JSON.stringify(tl));
      return 0;
    }
    io.out(`run ${tl.runId}  workflow ${tl.workflowId}  ${tl.status}  ${ms(tl.spanMs)}  cost ${tl.cost}  (${history.length} events)`);
    const rows = [['STEP', 'WORKER', 'ATTEMPT', 'STATUS', 'START', 'DURATION', 'COST', 'DETAIL']];
    // In time order, so a loop (coder -> reviewer -> coder) reads as it happened.
    const attempts = tl.rows.flatMap((r) => r.attempts.map((a) => ({ r, a }))).sort((x, y) => x.a.start - y.a.start);
    for (const { r, a } of attempts)
      rows.push([r.step, a.worker ?? '', String(a.attempt), a.status, `+${ms(a.start)}`, ms(a.durationMs), a.cost ? String(a.cost) : '-', a.error ? `${a.error.name}: ${a.error.message}` : a.output !== undefined ? preview(a.output, 60) : '']);
    io.out(table(rows));
    const waits = tl.rows.flatMap((r) => r.waits.map((w) => ({ step: r.step, w })));
    if (waits.length) io.out(`waits: ${waits.map(({ step, w }) => `${w.kind} ${step} ${w.end === undefined ? '' : ms(w.end - w.start) + ' '}(${w.outcome})`).join('; ')}`);
    for (const c of tl.crashes) {
      const what = c.stopped ? `stopped${c.reason ? ` (${c.reason})` : ''}` : 'crashed';
      io.out(`${what} after event #${c.lastSeq} at +${ms(c.start)}, resumed at +${ms(c.end)} (event #${c.resumeSeq})${c.inFlight.length ? `; ran again: ${c.inFlight.join(', ')}` : ''}`);
    }
    for (const a of tl.approvals)
      io.out(`${a.approved ? 'approved' : 'rejected'} ${a.step} at +${ms(a.at)}${a.by ? ` by ${a.by}` : ''}${a.comment ? `: ${a.comment}` : ''}`);
    return 0;
  },
});
