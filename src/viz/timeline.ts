import type { HistoryEvent } from '../../machines/history/events.ts';
import { escapeXml } from './svg.ts';
import { FONT, textWidth } from './layout.ts';

/**
 * A run's timeline, computed from its history alone: one row per step, one bar per attempt,
 * the waits between attempts (backoff and approval timers), durations and costs; and the
 * run-wide marks: crashes (the silence between the last event written before a `run.resumed`
 * and that resume), the resumes themselves, and approvals (who, when). The viewer page and
 * `orchestai show --format svg` draw the same model.
 */

export interface TimelineAttempt {
  attempt: number;
  /** ms since the run started */
  start: number;
  end?: number;
  /** `interrupted`: the process died while it ran; it ends at the crash (see `Timeline.crashes`). */
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  durationMs?: number;
  cost?: number;
  input?: unknown;
  output?: unknown;
  error?: { name: string; message: string; retryable: boolean };
  startSeq: number;
  endSeq?: number;
  worker?: string;
}

export interface TimelineWait {
  kind: 'backoff' | 'approval' | 'timer';
  start: number;
  end?: number;
  /** How the wait ended. */
  outcome: 'fired' | 'cancelled' | 'pending' | 'received';
  timerId?: string;
}

/**
 * A crash and the resume that followed it. Nothing is written while the process is down, so
 * the crash is placed at the last event before the `run.resumed` (the earliest it can have
 * happened after) and the gap runs to the resume. A process that stopped on purpose wrote a
 * `run.interrupted` event last: the gap starts there and is marked `stopped`.
 */
export interface TimelineCrash {
  /** ms since the run started: the last event written before the resume. */
  start: number;
  /** ms since the run started: the `run.resumed` event. */
  end: number;
  /** seq of that last event. */
  lastSeq: number;
  /** seq of the `run.resumed` event. */
  resumeSeq: number;
  /** Steps whose attempts were in flight at the crash and are run again after the resume. */
  inFlight: string[];
  /** Timers re-armed at the resume. */
  timers: string[];
  /** The process stopped on purpose (a `run.interrupted` event, SIGTERM say) rather than crashing. */
  stopped?: boolean;
  /** Why it stopped, when it said. */
  reason?: string;
}

/** An `approval.received` event: the decision, who gave it, and when. */
export interface TimelineApproval {
  step: string;
  approved: boolean;
  by?: string;
  comment?: string;
  /** ms since the run started. */
  at: number;
  /** Epoch ms, for showing the clock time. */
  t: number;
  seq: number;
}

export interface TimelineRow {
  step: string;
  attempts: TimelineAttempt[];
  waits: TimelineWait[];
  /** Sum of attempt durations. */
  durationMs: number;
  cost: number;
  status: 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed';
}

export interface Timeline {
  runId?: string;
  workflowId?: string;
  startedAt?: number;
  /** ms from start to finish (or to the last event for a run still going). */
  spanMs: number;
  finished: boolean;
  /** `interrupted`: only when the caller knows that no process holds the run (see `renderTimelineSvg`). */
  status?: 'succeeded' | 'failed' | 'cancelled' | 'running' | 'interrupted';
  cost: number;
  rows: TimelineRow[];
  /** One per `run.resumed`, in order. */
  crashes: TimelineCrash[];
  approvals: TimelineApproval[];
  events: number;
}

/**
 * Builds the timeline model from a history.
 *
 * @example
 * const tl = buildTimeline(history);
 * tl.rows[0]; // { step: 'fetch', attempts: [{ attempt: 1, status: 'failed', ... }, ...], waits: [...] }
 */
export function buildTimeline(history: readonly HistoryEvent[]): Timeline {
  const first = history[0];
  const t0 = first ? first.t : 0;
  const rows = new Map<string, TimelineRow>();
  const row = (step: string) => {
    let r = rows.get(step);
    if (!r) rows.set(step, (r = { step, attempts: [], waits: [], durationMs: 0, cost: 0, status: 'pending' }));
    return r;
  };
  const timers = new Map<string, { row: TimelineRow; wait: TimelineWait }>();
  const tl: Timeline = { spanMs: 0, finished: false, cost: 0, rows: [], crashes: [], approvals: [], events: history.length, status: 'running' };
  let previous: HistoryEvent | undefined;
  const endRunningAttempts = (at: number, seq: number | undefined) => {
    for (const r of rows.values()) {
      for (const a of r.attempts) {
        if (a.status !== 'running') continue;
        a.status = 'interrupted';
        a.end = Math.max(a.start, at);
        a.endSeq = seq;
      }
    }
  };
  for (const e of history) {
    const at = e.t - t0;
    switch (e.type) {
      case 'run.started':
        tl.runId = e.runId;
        tl.workflowId = e.workflowId;
        tl.startedAt = e.t;
        break;
      case 'step.started': {
        const r = row(e.step);
        r.attempts.push({ attempt: e.attempt, start: at, status: 'running', input: e.input, startSeq: e.seq, worker: e.worker });
        r.status = 'running';
        break;
      }
      case 'step.succeeded':
      case 'step.failed': {
        const r = row(e.step);
        let a = [...r.attempts].reverse().find((x) => x.attempt === e.attempt && x.status === 'running');
        if (!a) {
          a = { attempt: e.attempt, start: Math.max(0, at - e.durationMs), status: 'running', startSeq: e.seq };
          r.attempts.push(a);
        }
        a.end = at;
        a.endSeq = e.seq;
        a.durationMs = e.durationMs;
        r.durationMs += e.durationMs;
        if (e.type === 'step.succeeded') {
          a.status = 'succeeded';
          a.output = e.output;
          a.cost = e.cost;
          r.cost += e.cost ?? 0;
          r.status = 'succeeded';
        } else {
          a.status = 'failed';
          a.error = e.error;
          r.status = 'failed';
        }
        break;
      }
      case 'timer.set': {
        if (!e.step || e.purpose === 'timeout') break;
        const r = row(e.step);
        const wait: TimelineWait = { kind: e.purpose === 'backoff' ? 'backoff' : e.purpose === 'approval' ? 'approval' : 'timer', start: at, end: undefined, outcome: 'pending', timerId: e.id };
        r.waits.push(wait);
        if (wait.kind === 'backoff') r.status = 'waiting';
        timers.set(e.id, { row: r, wait });
        break;
      }
      case 'timer.fired':
      case 'timer.cancelled': {
        const w = timers.get(e.id);
        if (w && w.wait.outcome === 'pending') {
          w.wait.end = at;
          w.wait.outcome = e.type === 'timer.fired' ? 'fired' : 'cancelled';
        }
        break;
      }
      case 'approval.received': {
        tl.approvals.push({ step: e.step, approved: e.approved, ...(e.by !== undefined ? { by: e.by } : {}), ...(e.comment !== undefined ? { comment: e.comment } : {}), at, t: e.t, seq: e.seq });
        const r = row(e.step);
        const w = [...r.waits].reverse().find((x) => x.kind === 'approval' && x.outcome === 'pending');
        if (w) {
          w.end = at;
          w.outcome = 'received';
        } else {
          r.waits.push({ kind: 'approval', start: at, end: at, outcome: 'received' });
        }
        r.status = e.approved ? 'succeeded' : 'failed';
        break;
      }
      case 'run.finished':
        tl.finished = true;
        tl.status = e.status;
        tl.cost = e.cost;
        break;
      case 'run.cancelled':
        tl.status = 'cancelled';
        break;
      case 'run.resumed': {
        const stop = previous as { type: string; seq: number; t: number; reason?: unknown } | undefined;
        const stopped = stop?.type === 'run.interrupted';
        const crashAt = stop ? stop.t - t0 : at;
        tl.crashes.push({
          start: crashAt,
          end: at,
          lastSeq: stop?.seq ?? e.seq,
          resumeSeq: e.seq,
          inFlight: [...e.inFlight],
          timers: [...e.timers],
          ...(stopped ? { stopped: true, ...(typeof stop.reason === 'string' ? { reason: stop.reason } : {}) } : {}),
        });
        // Whatever was running died with the process: its bar ends at the crash.
        endRunningAttempts(crashAt, stop?.seq);
        // The attempts the resume runs again (same attempt number, no new `step.started`) start anew here.
        for (const step of new Set(e.inFlight)) {
          const r = rows.get(step);
          const last = r?.attempts.at(-1);
          if (r && last?.status === 'interrupted') r.attempts.push({ attempt: last.attempt, start: at, status: 'running', input: last.input, startSeq: e.seq, worker: last.worker });
        }
        break;
      }
      default:
        // A process stopping on purpose (`run.interrupted`: SIGTERM, ...) abandons its attempts there.
        if ((e as { type: string }).type === 'run.interrupted') endRunningAttempts(at, e.seq);
        break;
    }
    tl.spanMs = Math.max(tl.spanMs, at);
    previous = e;
  }
  if (!tl.finished) tl.cost = [...rows.values()].reduce((s, r) => s + r.cost, 0);
  tl.rows = [...rows.values()];
  return tl;
}

/**
 * Formats milliseconds for labels.
 *
 * @example
 * formatDuration(850);    // '850ms'
 * formatDuration(1234);   // '1.23s'
 * formatDuration(65_000); // '1m 05s'
 * formatDuration(90 * 3_600_000); // '3d 18h'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms > 0 && ms < 10 && !Number.isInteger(ms)) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return `${m}m ${String(s).padStart(2, '0')}s`;
  }
  // Hours and days: a run waiting on an approval for a week reads 7d 0h, not 10080m 00s.
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return h < 48 ? `${h}h ${String(m).padStart(2, '0')}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

function niceStep(span: number, target: number): number {
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

const C = {
  succeeded: '#2f9e44',
  failed: '#e03131',
  running: '#f59f00',
  interrupted: '#868e96',
  backoff: '#adb5bd',
  approval: '#9775fa',
  timer: '#74c0fc',
  crash: '#c92a2a',
  resume: '#1971c2',
  rejected: '#c92a2a',
  approved: '#2b8a3e',
};

/** `2026-11-21 20:00:02Z`: the clock time of an event, in UTC like the rest of the viewer. */
function clockTime(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}

/**
 * Renders a run's history as a standalone SVG timeline (what `orchestai show <runId> --format svg` writes).
 *
 * Besides the rows: a crash is a red hatched band across all rows, from the last event before
 * a resume to the resume (an attempt that was running ends there, grey, marked with a cross);
 * a resume is a blue dashed line; an approval is a diamond on its step's row, labelled with
 * the decision, who gave it and when.
 *
 * @example
 * const svg = renderTimelineSvg(await store.readHistory(runId));
 * fs.writeFileSync('run.svg', svg);
 */
export function renderTimelineSvg(history: readonly HistoryEvent[], options: { width?: number; highlightSeq?: number; now?: number; status?: 'interrupted' } = {}): string {
  const tl = buildTimeline(history);
  // An unfinished run no process holds (the caller knows the owners; the history cannot say).
  if (!tl.finished && options.status) tl.status = options.status;
  // A run still going: stretch the axis to `now` so in-flight attempts and waits grow as time passes.
  if (!tl.finished && options.now !== undefined && history.length) tl.spanMs = Math.max(tl.spanMs, options.now - history[0].t);
  const labelW = Math.max(90, ...tl.rows.map((r) => Math.ceil(textWidth(r.step) * 1.1) + 24)); // step names are bold: wider than the estimate
  const summaryW = 170;
  const width = Math.max(options.width ?? 900, labelW + summaryW + 200);
  const plotW = width - labelW - summaryW - 10;
  const plotEnd = labelW + plotW;
  const rowH = 30;
  const top = 44;
  const height = top + Math.max(1, tl.rows.length) * rowH + 30;
  const span = Math.max(tl.spanMs, 1);
  const x = (ms: number) => labelW + (ms / span) * plotW;
  const n = (v: number) => Math.round(v * 10) / 10;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="oa-timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family='${FONT.family}' font-size="${FONT.size}">`);
  out.push(`<title>${escapeXml(`timeline of run ${tl.runId ?? '?'} (${tl.workflowId ?? '?'})`)}</title>`);
  out.push('<defs>');
  out.push(`<pattern id="oa-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1f3f5"/><line x1="0" y1="0" x2="0" y2="6" stroke="${C.backoff}" stroke-width="3"/></pattern>`);
  out.push(`<pattern id="oa-crash-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="8" height="8" fill="#fff5f5"/><line x1="0" y1="0" x2="0" y2="8" stroke="#ffc9c9" stroke-width="4"/></pattern>`);
  out.push('</defs>');
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  const crashes = tl.crashes.filter((c) => !c.stopped).length;
  const stops = tl.crashes.length - crashes;
  const marks = [crashes ? `${crashes} crash${crashes > 1 ? 'es' : ''}` : '', stops ? `${stops} stop${stops > 1 ? 's' : ''}` : ''].filter(Boolean);
  const head = `${tl.workflowId ?? ''} ${tl.runId ?? ''} — ${tl.status ?? 'running'} — ${formatDuration(tl.spanMs)} — cost ${fmtCost(tl.cost)} — ${tl.events} events${marks.length ? ` — ${marks.join(', ')}` : ''}`;
  out.push(`<text x="8" y="18" font-weight="600">${escapeXml(head.trim())}</text>`);
  // Axis ticks.
  const step = niceStep(span, 8);
  for (let t = 0; t <= span + 1e-9; t += step) {
    out.push(`<line x1="${n(x(t))}" y1="${top - 6}" x2="${n(x(t))}" y2="${height - 24}" stroke="#e9ecef"/>`);
    out.push(`<text x="${n(x(t))}" y="${height - 10}" font-size="${FONT.small}" fill="#868e96" text-anchor="middle">${escapeXml(formatDuration(t))}</text>`);
  }
  // Crashes behind the rows: the band says "nothing ran here", the line where it started again.
  const markTop = top - 6;
  const markBottom = height - 24;
  tl.crashes.forEach((c, i) => {
    const x0 = x(c.start);
    const x1 = x(c.end);
    const what = c.stopped ? `stopped${c.reason ? ` (${c.reason})` : ''}` : 'crash';
    const tip = `${what}: nothing was recorded for ${formatDuration(c.end - c.start)} after event ${c.lastSeq}; resumed at event ${c.resumeSeq}${c.inFlight.length ? `, running ${c.inFlight.join(', ')} again` : ''}`;
    const color = c.stopped ? C.interrupted : C.crash;
    out.push(`<g class="crash${c.stopped ? ' stopped' : ''}" data-crash="${i + 1}" data-last-seq="${c.lastSeq}" data-resume-seq="${c.resumeSeq}"><title>${escapeXml(tip)}</title>`);
    out.push(`<rect x="${n(x0)}" y="${markTop}" width="${n(Math.max(3, x1 - x0))}" height="${markBottom - markTop}" fill="${c.stopped ? '#f1f3f5' : 'url(#oa-crash-hatch)'}" stroke="${color}" stroke-width="1" stroke-dasharray="3 2"/>`);
    out.push(`<text x="${n(x0 - 3)}" y="${top - 10}" font-size="${FONT.small}" font-weight="600" fill="${color}" text-anchor="end">${c.stopped ? 'stopped ■' : 'crash ✕'}</text>`);
    out.push('</g>');
    out.push(`<g class="resume" data-seq="${c.resumeSeq}"><title>${escapeXml(`run.resumed (event ${c.resumeSeq}) at ${clockTime(history[0].t + c.end)}`)}</title>`);
    out.push(`<line x1="${n(x1)}" y1="${markTop}" x2="${n(x1)}" y2="${markBottom}" stroke="${C.resume}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${n(x1 + 3)}" y="${top - 10}" font-size="${FONT.small}" font-weight="600" fill="${C.resume}">↻ resumed</text>`);
    out.push('</g>');
  });
  if (tl.rows.length === 0) out.push(`<text x="${labelW}" y="${top + 18}" fill="#868e96">no steps started yet</text>`);
  tl.rows.forEach((r, i) => {
    const y = top + i * rowH;
    out.push(`<g class="row" data-step="${escapeXml(r.step)}" data-status="${r.status}">`);
    out.push(`<text x="8" y="${y + 19}" font-weight="600">${escapeXml(r.step)}</text>`);
    for (const w of r.waits) {
      const end = w.end ?? tl.spanMs;
      const color = w.kind === 'backoff' ? 'url(#oa-hatch)' : w.kind === 'approval' ? C.approval : C.timer;
      out.push(`<rect class="wait ${w.kind}" x="${n(x(w.start))}" y="${y + 9}" width="${n(Math.max(1, x(end) - x(w.start)))}" height="12" fill="${color}" fill-opacity="${w.kind === 'backoff' ? 1 : 0.35}"><title>${escapeXml(`${w.kind} wait ${formatDuration(end - w.start)} (${w.outcome})`)}</title></rect>`);
    }
    for (const a of r.attempts) {
      const end = a.end ?? tl.spanMs;
      const wpx = Math.max(2, x(end) - x(a.start));
      const ran = a.durationMs !== undefined ? `, ${formatDuration(a.durationMs)}` : a.status === 'interrupted' ? `, interrupted by a crash after ${formatDuration(end - a.start)}` : '';
      const tip = `${r.step} attempt ${a.attempt}: ${a.status}${ran}${a.cost !== undefined ? `, cost ${fmtCost(a.cost)}` : ''}${a.error ? ` — ${a.error.name}: ${a.error.message}` : ''}`;
      out.push(`<rect class="attempt ${a.status}" data-attempt="${a.attempt}" data-seq="${a.startSeq}" x="${n(x(a.start))}" y="${y + 5}" width="${n(wpx)}" height="20" rx="3" fill="${C[a.status]}"><title>${escapeXml(tip)}</title></rect>`);
      if (a.status === 'interrupted') {
        // A cross where the attempt died.
        const xe = x(a.start) + wpx;
        out.push(`<path class="interrupt" d="M${n(xe - 4)},${y + 11} L${n(xe + 4)},${y + 19} M${n(xe + 4)},${y + 11} L${n(xe - 4)},${y + 19}" stroke="${C.crash}" stroke-width="2"/>`);
      }
      const text = `#${a.attempt} ${a.durationMs !== undefined ? formatDuration(a.durationMs) : a.status === 'interrupted' ? 'crashed' : '…'}`;
      if (textWidth(text, true) + 10 < wpx) out.push(`<text x="${n(x(a.start) + 4)}" y="${y + 19}" font-size="${FONT.small}" fill="#ffffff">${escapeXml(text)}</text>`);
    }
    for (const ap of tl.approvals) {
      if (ap.step !== r.step) continue;
      const ax = x(ap.at);
      const cy = y + 15;
      const verdict = ap.approved ? 'approved' : 'rejected';
      // Right of the mark if it fits in the plot, else left of it (clear of the step names), else a
      // shorter label, else none (the tooltip always has it all).
      const labels = [`${ap.approved ? '✓ approved' : '✗ rejected'}${ap.by ? ` by ${ap.by}` : ''} · ${clockTime(ap.t).slice(11)}`, `${ap.approved ? '✓' : '✗'} ${ap.by ?? ''}`.trim()];
      let label = '';
      let right = true;
      for (const l of labels) {
        const lw = textWidth(l, true);
        if (ax + 10 + lw <= plotEnd) [label, right] = [l, true];
        else if (ax - 10 - lw >= labelW) [label, right] = [l, false];
        else continue;
        break;
      }
      out.push(`<g class="approval ${verdict}" data-seq="${ap.seq}"${ap.by !== undefined ? ` data-by="${escapeXml(ap.by)}"` : ''}><title>${escapeXml(`${verdict} by ${ap.by ?? 'an unnamed approver'} at ${clockTime(ap.t)} (event ${ap.seq})${ap.comment ? `: ${ap.comment}` : ''}`)}</title>`);
      out.push(`<path d="M${n(ax)},${cy - 7} L${n(ax + 7)},${cy} L${n(ax)},${cy + 7} L${n(ax - 7)},${cy} Z" fill="${ap.approved ? C.approved : C.rejected}" stroke="#ffffff" stroke-width="1"/>`);
      if (label) out.push(`<text x="${n(right ? ax + 10 : ax - 10)}" y="${y + 19}" font-size="${FONT.small}" fill="${ap.approved ? C.approved : C.rejected}"${right ? '' : ' text-anchor="end"'}>${escapeXml(label)}</text>`);
      out.push('</g>');
    }
    out.push(`<text x="${width - summaryW + 4}" y="${y + 19}" font-size="${FONT.small}" fill="#495057">${escapeXml(`${r.attempts.length} att · ${formatDuration(r.durationMs)} · ${fmtCost(r.cost)}`)}</text>`);
    out.push('</g>');
  });
  if (options.highlightSeq !== undefined) {
    const e = history.find((h) => h.seq === options.highlightSeq);
    if (e) out.push(`<line class="cursor" x1="${n(x(e.t - (history[0]?.t ?? 0)))}" y1="${top - 8}" x2="${n(x(e.t - (history[0]?.t ?? 0)))}" y2="${height - 24}" stroke="#1c7ed6" stroke-width="2"/>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function fmtCost(c: number): string {
  return c === 0 ? '0' : String(Number(c.toPrecision(3)));
}
