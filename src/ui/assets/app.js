// orchestai viewer page. Plain browser JavaScript (no build step, no CDN): the server lays out
// charts and sends SVG; this script lists runs, lights up active states (scrolling the chart to
// them), scrubs through history, polls for live changes, and offers Approve / Reject / Cancel
// when the viewer has a run control.

const boot = window.ORCHESTAI || {};
const app = document.getElementById('app');
const PAGE = 25;

const h = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat()) if (k !== undefined && k !== null) el.append(k instanceof Node ? k : String(k));
  return el;
};

async function api(path, as = 'json', init = {}) {
  const res = await fetch(path, { ...init, headers: { accept: as === 'json' ? 'application/json' : '*/*', ...init.headers } });
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      msg = body.error + (body.file ? `\n${body.file}${body.line !== undefined ? `:${body.line}` : ''}` : '');
    } catch {}
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return as === 'json' ? res.json() : res.text();
}

// The viewer's only writes: JSON bodies (the server refuses anything else, and a page of
// another origin cannot send JSON without a preflight the server never answers).
const post = (path, body) => api(path, 'json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const fmtDur = (ms) => {
  if (ms === undefined || ms === null || !isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)}s`;
  // Longer spans in two units, so a run left waiting for days still fits its column.
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
};
const fmtCost = (c) => (c === undefined || c === null ? '—' : c === 0 ? '0' : String(Number(c.toPrecision(3))));
const fmtTime = (t) => (t ? new Date(t).toISOString().replace('T', ' ').slice(5, 19) + 'Z' : '—');
const badge = (status) => h('span', { class: `badge ${status}` }, status);
const pretty = (v) => (v === undefined ? '—' : JSON.stringify(v, null, 2));

function showError(where, e) {
  const box = h('div', { class: 'error', role: 'alert' }, String(e && e.message ? e.message : e));
  where.replaceChildren(box);
}

// ---------------------------------------------------------------- run list

function runList(selected) {
  let offset = 0;
  const tbody = h('tbody');
  const info = h('span', { class: 'muted', id: 'page-info' });
  const prev = h('button', { id: 'prev', onclick: () => { offset = Math.max(0, offset - PAGE); load(); } }, '‹ Newer');
  const next = h('button', { id: 'next', onclick: () => { offset += PAGE; load(); } }, 'Older ›');
  const err = h('div');
  const panel = h('section', { class: 'panel', id: 'runs' },
    h('h2', {}, 'Runs'),
    err,
    h('table', { id: 'run-list' },
      h('thead', {}, h('tr', {}, h('th', {}, 'status'), h('th', { class: 'wf' }, 'workflow'), h('th', {}, 'started'), h('th', { class: 'num' }, 'duration'), h('th', { class: 'num' }, 'cost'))),
      tbody),
    h('div', { class: 'pager' }, prev, next, info));
  async function load() {
    try {
      const page = await api(`/api/runs?offset=${offset}&limit=${PAGE}`);
      err.replaceChildren();
      const now = Date.now();
      tbody.replaceChildren(...page.runs.map((r) => {
        // A run listed running that no process holds was submitted to a shared store (PostgreSQL)
        // and waits for a hub: shown as queued (a JSONL run is only running while its owner lives).
        const shown = r.status === 'running' && !r.owner ? 'queued' : r.status;
        const dur = r.durationMs ?? (shown === 'running' ? now - r.startedAt : undefined);
        const tr = h('tr', { 'data-run-id': r.runId, 'data-status': r.status, 'data-shown': shown, class: r.runId === selected ? 'selected' : '' },
          h('td', {}, badge(shown)),
          h('td', { class: 'wf', title: [r.workflowId, r.instruction || r.source].filter(Boolean).join(' — ') }, h('a', { href: `/runs/${encodeURIComponent(r.runId)}` }, r.workflowId)),
          h('td', { title: r.runId }, fmtTime(r.startedAt)),
          h('td', { class: 'num' }, fmtDur(dur)),
          h('td', { class: 'num' }, fmtCost(r.cost)));
        tr.addEventListener('click', () => { location.href = `/runs/${encodeURIComponent(r.runId)}`; });
        return tr;
      }));
      if (page.runs.length === 0) tbody.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, page.total ? 'no runs on this page' : 'no runs yet — start one with `orchestai run <workflow>`')));
      info.textContent = page.total ? `${offset + 1}–${offset + page.runs.length} of ${page.total} · listed in ${page.elapsedMs} ms` : '';
      prev.disabled = offset === 0;
      next.disabled = offset + PAGE >= page.total;
      panel.dataset.total = page.total;
    } catch (e) {
      showError(err, e);
    }
  }
  load();
  setInterval(load, 2000);
  return panel;
}

// ---------------------------------------------------------------- run detail

function lightUp(chartEl, active) {
  for (const el of chartEl.querySelectorAll('.state.active, .state.lit')) el.classList.remove('active', 'lit');
  const leaves = new Set(active);
  for (const a of active) {
    const parts = a.split('.');
    for (let i = 0; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('.');
      const el = chartEl.querySelector(`.state[data-path="${CSS.escape(p)}"]`);
      if (el) el.classList.add(leaves.has(p) ? 'active' : 'lit');
    }
  }
  chartEl.dataset.active = active.join(',');
}

// The active leaves worth looking at after moving to an event: in a DAG every region has an
// active leaf (done, blocked, running…), so the chart follows the ones this event entered (a
// transition's new leaves, or the leaves of the step the event is about), else the ones that
// changed since the last position shown, else all of them.
function focusOf(state, shownBefore) {
  const active = state.active;
  const e = state.event;
  let focus = [];
  if (e && e.type === 'transition') focus = e.to.filter((p) => !e.from.includes(p));
  else if (e && e.step) focus = active.filter((p) => p.split('.').includes(e.step));
  if (!focus.length && shownBefore) focus = active.filter((p) => !shownBefore.includes(p));
  focus = focus.filter((p) => active.includes(p));
  return focus.length ? focus : active;
}

const SETTLED = /\.(done|blocked|failed)$|^(succeeded|failed|cancelled|rejected)$/;

// Scrolls the chart box (never the page: the scrubber must stay under the pointer) so that the
// states at `paths` are in view. Already visible: nothing moves. Too many to fit: the ones
// still working (not done or blocked) win, then the first.
function followStates(chartEl, paths) {
  const rectOf = (els) => {
    const box = chartEl.getBoundingClientRect();
    const r = { l: Infinity, t: Infinity, r: -Infinity, b: -Infinity };
    for (const el of els) {
      const q = el.getBoundingClientRect();
      r.l = Math.min(r.l, q.left - box.left - chartEl.clientLeft + chartEl.scrollLeft);
      r.t = Math.min(r.t, q.top - box.top - chartEl.clientTop + chartEl.scrollTop);
      r.r = Math.max(r.r, q.right - box.left - chartEl.clientLeft + chartEl.scrollLeft);
      r.b = Math.max(r.b, q.bottom - box.top - chartEl.clientTop + chartEl.scrollTop);
    }
    return r;
  };
  const boxes = (ps) => ps.map((p) => chartEl.querySelector(`.state[data-path="${CSS.escape(p)}"] > .box`)).filter(Boolean);
  const viewW = chartEl.clientWidth;
  const viewH = chartEl.clientHeight;
  if (!viewW || !viewH) return;
  const fits = (r) => r.r - r.l <= viewW && r.b - r.t <= viewH;
  const els = boxes(paths);
  if (!els.length) return;
  let want = rectOf(els);
  if (!fits(want)) {
    const busy = boxes(paths.filter((p) => !SETTLED.test(p)));
    if (busy.length && fits(rectOf(busy))) want = rectOf(busy);
    else want = rectOf([busy[0] || els[0]]);
  }
  // Vertically: already in view, it stays; else the wanted states are centred (what comes
  // before and after shows too). Horizontally: as far left as still shows them, so the start of
  // the flow and the names at the left of regions stay in view when they can. Wider or taller
  // than the box: its start is shown.
  const pad = 16;
  const x = want.r - want.l + 2 * pad > viewW ? want.l - pad : Math.max(0, want.r + pad - viewW);
  const y = want.t >= chartEl.scrollTop && want.b <= chartEl.scrollTop + viewH
    ? chartEl.scrollTop
    : want.b - want.t + 2 * pad > viewH ? want.t - pad : (want.t + want.b - viewH) / 2;
  const left = Math.max(0, Math.round(x));
  const top = Math.max(0, Math.round(y));
  if (left !== chartEl.scrollLeft || top !== chartEl.scrollTop) chartEl.scrollTo({ left, top, behavior: 'auto' });
}

function describe(e) {
  if (!e) return 'before the first event';
  switch (e.type) {
    case 'transition': {
      // In a DAG every region has a leaf: name the ones this transition entered, count the rest.
      const entered = e.to.filter((p) => !e.from.includes(p));
      const kept = e.to.length - entered.length;
      return `transition ${e.event} → ${(entered.length ? entered : e.to).join(', ')}${entered.length && kept ? ` (${kept} unchanged)` : ''}`;
    }
    case 'step.started': return `step.started ${e.step} #${e.attempt}`;
    case 'step.succeeded': return `step.succeeded ${e.step} #${e.attempt} (${fmtDur(e.durationMs)})`;
    case 'step.failed': return `step.failed ${e.step} #${e.attempt}: ${e.error.name}`;
    case 'timer.set': return `timer.set ${e.id} ${fmtDur(e.delayMs)}`;
    case 'timer.fired': case 'timer.cancelled': return `${e.type} ${e.id}`;
    case 'approval.received': return `approval ${e.approved ? 'approved' : 'rejected'} ${e.step}${e.by ? ` by ${e.by}` : ''}`;
    case 'run.resumed': return `run.resumed${e.inFlight.length ? ` (running ${e.inFlight.join(', ')} again)` : ''}`;
    case 'run.interrupted': return `run.interrupted (${e.reason})`;
    case 'run.cancelled': return `run.cancelled${e.by ? ` by ${e.by}` : ''}${e.reason ? `: ${e.reason}` : ''}`;
    case 'run.finished': return `run.finished ${e.status}`;
    default: return e.type;
  }
}

function stepsPanel(timeline) {
  return timeline.rows.map((r) =>
    h('details', { 'data-step': r.step, open: timeline.rows.length <= 6 },
      h('summary', {}, h('b', {}, r.step), ` · ${r.status} · ${r.attempts.length} attempt(s) · ${fmtDur(r.durationMs)} · cost ${fmtCost(r.cost)}`),
      ...r.attempts.slice(-5).map((a) =>
        h('div', { class: 'cols', 'data-attempt': a.attempt },
          h('div', {}, h('div', { class: 'note' }, `#${a.attempt} input`), h('pre', {}, pretty(a.input))),
          h('div', {}, h('div', { class: 'note' }, `#${a.attempt} ${a.status === 'failed' ? 'error' : a.status === 'interrupted' ? 'interrupted by a crash' : 'output'}`), h('pre', {}, pretty(a.status === 'failed' ? a.error : a.output))))),
      r.attempts.length > 5 ? h('div', { class: 'note' }, `(${r.attempts.length - 5} earlier attempts not shown)`) : null));
}

// What the page says after a control request went through.
const DELIVERED = {
  approve: { live: 'approved; the run continues', queued: 'queued: applies when the run resumes' },
  reject: { live: 'rejected; the run continues with the rejection', queued: 'queued: applies when the run resumes' },
  cancel: { live: 'cancel sent; the run stops', queued: 'queued: applies when the run resumes' },
};

// Draws run `runId` into `mount`. The view is put in place before the chart and the state are
// loaded, so boxes have their real size when charts are scrolled and the timeline is sized.
async function runView(runId, mount) {
  const root = h('div');
  const runPath = `/api/runs/${encodeURIComponent(runId)}`;
  let run;
  try {
    run = await api(runPath);
  } catch (e) {
    // 409: submitted to a shared store and not started by a hub yet; drawn once it has started.
    if (e.status === 409) {
      root.dataset.queued = '';
      root.append(h('section', { class: 'panel muted', role: 'status' }, badge('queued'), ' ', e.message));
      setTimeout(() => runView(runId, mount), 2000);
    } else {
      showError(root, e);
    }
    mount.replaceChildren(root);
    return root;
  }
  let total = run.events;
  let finished = run.finished;
  let follow = !finished;
  let shownActive = null;
  // Natural size: labels stay legible (11 px and up) and the box scrolls; "Fit" shrinks it to an overview.
  const chart = h('div', { class: 'chart', id: 'chart' }, h('p', { class: 'muted' }, 'laying out the statechart…'));
  const fitBtn = h('button', { id: 'chart-fit', title: 'shrink the statechart to the width of the box (smaller labels), or back to its natural size' }, 'Fit chart');
  fitBtn.addEventListener('click', () => {
    const on = chart.classList.toggle('fit');
    fitBtn.classList.toggle('on', on);
    if (shownActive) followStates(chart, shownActive);
  });
  const scrubber = h('input', { type: 'range', id: 'scrubber', min: 0, max: total, value: total, step: 1, 'aria-label': 'history position' });
  const label = h('span', { id: 'scrub-label' });
  const followBtn = h('button', { id: 'follow', class: follow ? 'on' : '', disabled: finished, title: 'keep showing the latest event while the run goes on' }, 'Follow live');
  const contextPre = h('pre', { id: 'context' });
  const eventPre = h('pre', { id: 'event' });
  const note = h('div', { class: 'note', id: 'state-note' });
  const timelineBox = h('div', { class: 'timeline', id: 'timeline' });
  const steps = h('div', { id: 'steps' }, stepsPanel(run.timeline));
  const status = h('span', { id: 'run-status' }, badge(run.timeline.status));
  const controls = h('div', { class: 'controls', id: 'run-controls', hidden: true });
  const outcome = h('div', { class: 'note', id: 'control-outcome', role: 'status', 'aria-live': 'polite' });

  root.append(
    h('section', { class: 'panel' },
      h('h2', {}, `${run.workflowId} · `, h('code', {}, run.runId), ' ', status),
      h('div', { class: 'note' }, `history: ${run.file}`, run.instruction ? ` · instruction: ${run.instruction}` : '', run.chart.from ? ` · workflow: ${run.chart.from}` : ''),
      controls,
      outcome,
      run.chart.error ? h('div', { class: 'error', id: 'chart-error' }, `No statechart: ${run.chart.error}`) : null,
      chart,
      h('div', { class: 'scrub' }, h('span', { class: 'note' }, 'replay'), scrubber, followBtn, run.chart.error ? null : fitBtn), label, note),
    h('div', { class: 'cols' },
      h('section', { class: 'panel' }, h('h3', {}, 'Context at this event'), contextPre),
      h('section', { class: 'panel' }, h('h3', {}, 'Event'), eventPre)),
    h('section', { class: 'panel' }, h('h3', {}, 'Timeline'), timelineBox),
    h('section', { class: 'panel' }, h('h3', {}, 'Steps: input and output'), steps));
  mount.replaceChildren(root);

  // Approve / Reject for each step waiting for an approval, Cancel while the run is unfinished;
  // nothing when the viewer has no run control.
  let acting = false;
  function renderControls(summary) {
    const items = [];
    if (summary.control) {
      for (const step of summary.waitingApprovals) {
        const comment = h('input', { class: 'comment', 'data-step': step, placeholder: 'comment (optional)', 'aria-label': `comment on the approval of ${step}` });
        const decide = (approved) => act(approved ? 'approve' : 'reject', 'approve', { step, approved, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) });
        items.push(h('div', { class: 'approval', 'data-step': step },
          h('span', {}, 'step ', h('b', {}, step), ' waits for approval'),
          comment,
          h('button', { class: 'approve', 'data-step': step, onclick: () => decide(true) }, 'Approve'),
          h('button', { class: 'reject', 'data-step': step, onclick: () => decide(false) }, 'Reject')));
      }
      if (summary.cancellable) {
        items.push(h('button', { id: 'cancel-run', class: 'cancel', onclick: () => {
          if (confirm(`Cancel run ${runId}?`)) act('cancel', 'cancel', {});
        } }, 'Cancel run'));
      }
    }
    controls.replaceChildren(...items);
    controls.hidden = items.length === 0;
    for (const b of controls.querySelectorAll('button')) b.disabled = acting;
  }

  async function act(what, route, body) {
    acting = true;
    for (const b of controls.querySelectorAll('button')) b.disabled = true;
    outcome.className = 'note';
    outcome.textContent = `${what}: sending…`;
    try {
      const res = await post(`${runPath}/${route}`, body);
      outcome.className = 'note outcome ok';
      outcome.textContent = DELIVERED[what][res.delivered] || `${what}: ${res.delivered}`;
    } catch (e) {
      outcome.className = 'error outcome';
      outcome.textContent = `${what} refused: ${e && e.message ? e.message : e}`;
    } finally {
      acting = false;
    }
    await refresh().catch((e) => showError(note, e));
  }

  let stateReq = 0;
  async function showAt(seq) {
    const mine = ++stateReq;
    const width = Math.max(600, Math.floor(timelineBox.clientWidth));
    const [state, tl] = await Promise.all([
      api(`${runPath}/state?seq=${seq}`),
      api(`${runPath}/timeline.svg?seq=${seq}&width=${width}`, 'text'),
    ]);
    if (mine !== stateReq) return; // a newer position was asked for meanwhile
    lightUp(chart, state.active);
    followStates(chart, focusOf(state, shownActive));
    shownActive = state.active;
    label.textContent = `event ${state.seq} / ${state.total} · ${describe(state.event)} · ${state.status}`;
    contextPre.textContent = pretty(state.context);
    eventPre.textContent = pretty(state.event);
    note.textContent = state.note || (state.via === 'replay' ? 'state computed by replaying the history (engine time travel)' : '');
    timelineBox.innerHTML = tl;
    root.dataset.seq = state.seq;
  }

  let pending;
  scrubber.addEventListener('input', () => {
    follow = Number(scrubber.value) === total && !finished;
    followBtn.classList.toggle('on', follow);
    clearTimeout(pending);
    pending = setTimeout(() => showAt(Number(scrubber.value)).catch((e) => showError(note, e)), 40);
  });
  followBtn.addEventListener('click', () => {
    follow = true;
    followBtn.classList.add('on');
    scrubber.value = total;
    showAt(total).catch((e) => showError(note, e));
  });

  // Re-reads the run: header, controls, steps, and (when following) the latest state.
  async function refresh() {
    const fresh = await api(runPath);
    const grew = fresh.events !== total;
    total = fresh.events;
    scrubber.max = total;
    finished = fresh.finished;
    status.replaceChildren(badge(fresh.timeline.status));
    renderControls(fresh);
    if (finished) {
      followBtn.classList.remove('on');
      followBtn.disabled = true;
    }
    steps.replaceChildren(...stepsPanel(fresh.timeline));
    if (follow) {
      scrubber.value = total;
      await showAt(total);
    }
    root.dataset.events = String(total);
    return grew;
  }

  renderControls(run);
  const chartP = run.chart.error
    ? Promise.resolve()
    : api(`${runPath}/chart.svg`, 'text').then((svg) => { chart.innerHTML = svg; }, (e) => showError(chart, e));
  await chartP;
  await showAt(total).catch((e) => showError(note, e));
  root.dataset.events = String(total);

  let polls = 0;
  async function poll() {
    if (finished) return;
    polls++;
    try {
      const { total: n } = await api(`${runPath}/events?after=${total}`);
      if (n !== total) {
        await refresh();
      } else if (follow && polls % 3 === 0) {
        // No new event, but in-flight attempts keep growing on the timeline.
        timelineBox.innerHTML = await api(`${runPath}/timeline.svg?width=${Math.max(600, Math.floor(timelineBox.clientWidth))}`, 'text');
      }
    } catch (e) {
      showError(note, e);
    }
    setTimeout(poll, 400);
  }
  if (!finished) setTimeout(poll, 400);
  return root;
}

// ---------------------------------------------------------------- planner

// What the plan does not do, said before the drawing: a flag, clauses no worker does or passed over, steps declined or unreachable, a plan that cannot start.
function planNotes(v) {
  const notes = [];
  if (v.plan.lowConfidence) notes.push(h('p', { class: 'plan-note warn', id: 'plan-low' }, `Low confidence (${Number(v.plan.confidence).toFixed(2)}): check this plan before running it.`));
  for (const u of v.unmatched ?? []) notes.push(h('p', { class: 'plan-note warn unmatched' }, `No worker does "${u}": the plan leaves it undone.`));
  for (const w of v.declined ?? []) notes.push(h('p', { class: 'plan-note declined' }, `Left out: ${w}, which the instruction declines.`));
  for (const w of v.idle ?? []) notes.push(h('p', { class: 'plan-note declined' }, `Left out: ${w}, which only fed a declined step.`));
  for (const w of v.unreachable ?? []) notes.push(h('p', { class: 'plan-note declined' }, `Left out: ${w}, which nothing the instruction gives can feed.`));
  for (const w of v.cannotStart ?? []) notes.push(h('p', { class: 'plan-note warn' }, `Cannot start: nothing the instruction gives feeds ${w}.`));
  for (const p of v.passedOver ?? []) notes.push(h('p', { class: 'plan-note warn' }, `"${p.clause}" names ${p.worker}, which the plan leaves out.`));
  return notes.length ? [h('section', { class: 'panel', id: 'plan-notes' }, ...notes)] : [];
}

function planView() {
  const input = h('input', { id: 'instruction', placeholder: 'an instruction, e.g. "summarise report.pdf into slides"' });
  const out = h('div', { id: 'plan-out' });
  const go = async (ev) => {
    ev.preventDefault();
    out.replaceChildren(h('p', { class: 'muted' }, 'planning…'));
    try {
      const v = await api(`/api/plan?instruction=${encodeURIComponent(input.value)}`);
      const dag = h('div', { class: 'chart', id: 'plan-dag' });
      dag.innerHTML = v.dagSvg;
      const sc = h('div', { class: 'chart', id: 'plan-chart' });
      sc.innerHTML = v.chartSvg;
      // One above the other, each the full width: a statechart squeezed into half the page
      // would have to shrink its labels; at natural size it scrolls instead.
      out.replaceChildren(
        ...planNotes(v),
        h('section', { class: 'panel' }, h('h3', {}, 'Plan (DAG)'), dag),
        h('section', { class: 'panel' }, h('h3', {}, 'Statechart'), sc),
        h('section', { class: 'panel' }, h('h3', {}, 'Plan JSON'), h('pre', {}, pretty({ ...v.plan, fallback: v.fallback }))));
    } catch (e) {
      showError(out, e);
    }
  };
  return h('section', { class: 'panel', id: 'planner' }, h('h2', {}, 'Plan an instruction'),
    h('form', { class: 'plan-form', onsubmit: go }, input, h('button', { type: 'submit' }, 'Plan')), out);
}

// ---------------------------------------------------------------- routing

const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);

// One capability: its charts (SVG laid out by the server) and a compact table of the same numbers.
function capabilityPanel(cap) {
  const bars = h('div', { class: 'routing-chart bars' });
  bars.innerHTML = cap.svg.bars;
  const strip = h('div', { class: 'routing-chart choices' });
  strip.innerHTML = cap.svg.choices;
  const policies = cap.policies.map((p) => `${p.policy} v${p.version}`).join(' → ');
  const rows = cap.candidates.map((c) =>
    h('tr', { 'data-worker': c.worker },
      h('td', {}, h('b', {}, c.worker)),
      h('td', { class: 'num' }, c.attempts), h('td', { class: 'num' }, pct(c.share)),
      h('td', { class: 'num' }, pct(c.successRate)), h('td', { class: 'num' }, `${c.succeeded} / ${c.failed}${c.unfinished ? ` / ${c.unfinished}` : ''}`),
      h('td', { class: 'num' }, fmtCost(c.meanCost)), h('td', { class: 'num' }, fmtDur(c.p50LatencyMs)), h('td', { class: 'num' }, fmtDur(c.p90LatencyMs))));
  return h('section', { class: 'panel capability', 'data-workflow': cap.workflowId, 'data-capability': cap.capability },
    h('h3', {}, cap.capability, h('span', { class: 'muted' }, ` · ${cap.workflowId}${cap.steps.length > 1 || cap.steps[0] !== cap.capability ? ` · steps ${cap.steps.join(', ')}` : ''} · ${cap.decisions} decisions in ${cap.runs} runs · ${policies}`)),
    h('div', { class: 'note' }, 'per candidate: success rate, mean cost and median latency of its attempts'),
    bars,
    h('div', { class: 'note' }, 'choices over time: one mark per decision, at its run\u2019s start; colour = policy version'),
    strip,
    h('table', { class: 'routing-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'candidate'), h('th', { class: 'num' }, 'chosen'), h('th', { class: 'num' }, 'share'), h('th', { class: 'num' }, 'success'), h('th', { class: 'num', title: 'succeeded / failed (/ no outcome yet)' }, 'ok / failed'), h('th', { class: 'num' }, 'mean cost'), h('th', { class: 'num' }, 'p50'), h('th', { class: 'num' }, 'p90'))),
      h('tbody', {}, rows)));
}

// Nothing routed yet: say what records a routing decision, so the page can fill up.
function routingEmpty(r) {
  return h('section', { class: 'panel', id: 'routing-empty' },
    h('h3', {}, 'No routing decisions yet'),
    h('p', {}, r.note),
    h('p', {}, 'A step is routed when it names candidates: several workers for the same job instead of one, e.g. ',
      h('code', {}, "{ id: 'answer', candidates: [smallLlm, largeLlm] }"),
      '. At each attempt of such a step the router picks one and the history records the choice, the policy and its version (a ', h('code', {}, 'route.decided'),
      ' event); the attempt\u2019s outcome gives that candidate\u2019s success, cost and latency.'),
    h('p', {}, 'Run a workflow with such a step (', h('code', {}, 'orchestai run <workflow>'), '), then reload this page.'));
}

function routingView() {
  const params = new URLSearchParams(location.search);
  const workflow = h('select', { id: 'routing-workflow', 'aria-label': 'workflow' }, h('option', { value: '' }, 'all workflows'));
  const limit = h('input', { id: 'routing-limit', type: 'number', min: 1, max: 5000, value: params.get('limit') || 500, 'aria-label': 'newest runs to read' });
  const note = h('div', { class: 'note', id: 'routing-note' });
  const out = h('div', { id: 'routing-out' }, h('p', { class: 'muted' }, 'reading the histories…'));
  const panel = h('div', { id: 'routing' },
    h('section', { class: 'panel' },
      h('h2', {}, 'Routing'),
      h('form', { class: 'routing-form', onsubmit: (ev) => { ev.preventDefault(); load(); } },
        h('label', {}, 'workflow ', workflow), h('label', {}, 'newest runs ', limit), h('button', { type: 'submit' }, 'Show')),
      note),
    out);
  let chosen = params.get('workflow') || '';
  workflow.addEventListener('change', () => { chosen = workflow.value; load(); });
  async function load() {
    const q = new URLSearchParams();
    if (chosen) q.set('workflow', chosen);
    q.set('limit', String(Math.max(1, Number(limit.value) | 0 || 500)));
    history.replaceState(null, '', `/routing?${q}`);
    // The charts are laid out for the page's width: a panel's inner width (padding and border off).
    q.set('charts', '1');
    q.set('width', String(Math.max(600, Math.floor(out.clientWidth - 26))));
    try {
      const r = await api(`/api/routing?${q}`);
      const ids = new Set([...r.workflows.map((w) => w.id), ...(chosen ? [chosen] : [])]);
      workflow.replaceChildren(h('option', { value: '' }, 'all workflows'), ...[...ids].map((id) => h('option', { value: id, selected: id === chosen }, id)));
      note.textContent = `${r.note} (${r.elapsedMs} ms)`;
      const damaged = r.runs.damagedCount
        ? h('details', { class: 'note', id: 'routing-damaged' }, h('summary', {}, `${r.runs.damagedCount} histories could not be read`), ...r.runs.damaged.map((d) => h('div', {}, h('code', {}, d.runId), ` — ${d.reason}`)))
        : null;
      out.replaceChildren(...(r.capabilities.length ? r.capabilities.map(capabilityPanel) : [routingEmpty(r)]), damaged || '');
      panel.dataset.capabilities = String(r.capabilities.length);
    } catch (e) {
      showError(out, e);
    }
  }
  return { panel, load };
}

// ---------------------------------------------------------------- boot

// The page shell's nav names Runs and Plan; the routing page joins them here.
function addRoutingLink() {
  const nav = document.querySelector('header nav');
  if (!nav || nav.querySelector('#nav-routing')) return;
  nav.append(h('a', { href: '/routing', id: 'nav-routing' }, 'Routing'));
}

async function main() {
  const t0 = performance.now();
  addRoutingLink();
  if (location.pathname === '/routing') {
    const view = routingView();
    app.replaceChildren(view.panel);
    await view.load();
  } else if (location.pathname === '/plan') {
    app.replaceChildren(boot.planner ? planView() : h('div', { class: 'error' }, 'No planner in this checkout (planner/index.ts is missing).'));
  } else if (boot.runId) {
    const layout = h('div', { class: 'layout' }, runList(boot.runId), h('div', { id: 'detail' }, h('p', { class: 'muted' }, 'loading run…')));
    app.replaceChildren(layout);
    await runView(boot.runId, layout.querySelector('#detail'));
  } else {
    app.replaceChildren(h('div', { class: 'layout' }, runList(), h('section', { class: 'panel muted', id: 'detail' }, 'Pick a run to see its statechart, timeline and history.')));
  }
  app.dataset.state = 'ready';
  document.body.dataset.readyMs = String(Math.round(performance.now() - t0));
}

main().catch((e) => showError(app, e));
