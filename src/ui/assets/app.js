// orchestai viewer page. Plain browser JavaScript (no build step, no CDN): the server lays out
// charts and sends SVG; this script lists runs, lights up active states, scrubs through
// history and polls for live changes.

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

async function api(path, as = 'json') {
  const res = await fetch(path, { headers: { accept: as === 'json' ? 'application/json' : '*/*' } });
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

const fmtDur = (ms) => {
  if (ms === undefined || ms === null || !isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60000);
  return `${m}m ${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
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
      h('thead', {}, h('tr', {}, h('th', {}, 'status'), h('th', {}, 'workflow'), h('th', {}, 'started'), h('th', { class: 'num' }, 'duration'), h('th', { class: 'num' }, 'cost'))),
      tbody),
    h('div', { class: 'pager' }, prev, next, info));
  async function load() {
    try {
      const page = await api(`/api/runs?offset=${offset}&limit=${PAGE}`);
      err.replaceChildren();
      const now = Date.now();
      tbody.replaceChildren(...page.runs.map((r) => {
        const dur = r.durationMs ?? (r.status === 'running' ? now - r.startedAt : undefined);
        const tr = h('tr', { 'data-run-id': r.runId, 'data-status': r.status, class: r.runId === selected ? 'selected' : '' },
          h('td', {}, badge(r.status)),
          h('td', { title: r.instruction || r.source || '' }, h('a', { href: `/runs/${encodeURIComponent(r.runId)}` }, r.workflowId)),
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

function describe(e) {
  if (!e) return 'before the first event';
  switch (e.type) {
    case 'transition': return `transition ${e.event} → ${e.to.join(', ')}`;
    case 'step.started': return `step.started ${e.step} #${e.attempt}`;
    case 'step.succeeded': return `step.succeeded ${e.step} #${e.attempt} (${fmtDur(e.durationMs)})`;
    case 'step.failed': return `step.failed ${e.step} #${e.attempt}: ${e.error.name}`;
    case 'timer.set': return `timer.set ${e.id} ${fmtDur(e.delayMs)}`;
    case 'timer.fired': case 'timer.cancelled': return `${e.type} ${e.id}`;
    case 'approval.received': return `approval ${e.approved ? 'approved' : 'rejected'} ${e.step}`;
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
          h('div', {}, h('div', { class: 'note' }, `#${a.attempt} ${a.status === 'failed' ? 'error' : 'output'}`), h('pre', {}, pretty(a.status === 'failed' ? a.error : a.output))))),
      r.attempts.length > 5 ? h('div', { class: 'note' }, `(${r.attempts.length - 5} earlier attempts not shown)`) : null));
}

async function runView(runId) {
  const root = h('div');
  let run;
  try {
    run = await api(`/api/runs/${encodeURIComponent(runId)}`);
  } catch (e) {
    showError(root, e);
    return root;
  }
  let total = run.events;
  let finished = run.finished;
  let follow = !finished;
  const chart = h('div', { class: 'chart', id: 'chart', title: 'click to toggle fit / natural size' }, h('p', { class: 'muted' }, 'laying out the statechart…'));
  chart.addEventListener('click', () => chart.classList.toggle('natural'));
  const scrubber = h('input', { type: 'range', id: 'scrubber', min: 0, max: total, value: total, step: 1, 'aria-label': 'history position' });
  const label = h('span', { id: 'scrub-label' });
  const followBtn = h('button', { id: 'follow', class: follow ? 'on' : '', disabled: finished, title: 'keep showing the latest event while the run goes on' }, 'Follow live');
  const contextPre = h('pre', { id: 'context' });
  const eventPre = h('pre', { id: 'event' });
  const note = h('div', { class: 'note', id: 'state-note' });
  const timelineBox = h('div', { class: 'timeline', id: 'timeline' });
  const steps = h('div', { id: 'steps' }, stepsPanel(run.timeline));
  const status = h('span', { id: 'run-status' }, badge(run.timeline.status));

  root.append(
    h('section', { class: 'panel' },
      h('h2', {}, `${run.workflowId} · `, h('code', {}, run.runId), ' ', status),
      h('div', { class: 'note' }, `history: ${run.file}`, run.instruction ? ` · instruction: ${run.instruction}` : '', run.chart.from ? ` · workflow: ${run.chart.from}` : ''),
      run.chart.error ? h('div', { class: 'error', id: 'chart-error' }, `No statechart: ${run.chart.error}`) : null,
      chart,
      h('div', { class: 'scrub' }, h('span', { class: 'note' }, 'replay'), scrubber, followBtn), label, note),
    h('div', { class: 'cols' },
      h('section', { class: 'panel' }, h('h3', {}, 'Context at this event'), contextPre),
      h('section', { class: 'panel' }, h('h3', {}, 'Event'), eventPre)),
    h('section', { class: 'panel' }, h('h3', {}, 'Timeline'), timelineBox),
    h('section', { class: 'panel' }, h('h3', {}, 'Steps: input and output'), steps));

  let stateReq = 0;
  async function showAt(seq) {
    const mine = ++stateReq;
    const [state, tl] = await Promise.all([
      api(`/api/runs/${encodeURIComponent(runId)}/state?seq=${seq}`),
      api(`/api/runs/${encodeURIComponent(runId)}/timeline.svg?seq=${seq}`, 'text'),
    ]);
    if (mine !== stateReq) return; // a newer position was asked for meanwhile
    lightUp(chart, state.active);
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

  const chartP = run.chart.error
    ? Promise.resolve()
    : api(`/api/runs/${encodeURIComponent(runId)}/chart.svg`, 'text').then((svg) => { chart.innerHTML = svg; }, (e) => showError(chart, e));
  await chartP;
  await showAt(total).catch((e) => showError(note, e));

  let polls = 0;
  async function poll() {
    if (finished) return;
    polls++;
    try {
      const { total: n } = await api(`/api/runs/${encodeURIComponent(runId)}/events?after=${total}`);
      if (n !== total) {
        total = n;
        scrubber.max = total;
        const fresh = await api(`/api/runs/${encodeURIComponent(runId)}`);
        finished = fresh.finished;
        status.replaceChildren(badge(fresh.timeline.status));
        if (finished) {
          followBtn.classList.remove('on');
          followBtn.disabled = true;
        }
        steps.replaceChildren(...stepsPanel(fresh.timeline));
        if (follow) {
          scrubber.value = total;
          await showAt(total);
        }
      } else if (follow && polls % 3 === 0) {
        // No new event, but in-flight attempts keep growing on the timeline.
        timelineBox.innerHTML = await api(`/api/runs/${encodeURIComponent(runId)}/timeline.svg`, 'text');
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
      out.replaceChildren(h('div', { class: 'cols' },
        h('section', { class: 'panel' }, h('h3', {}, 'Plan (DAG)'), dag),
        h('section', { class: 'panel' }, h('h3', {}, 'Statechart'), sc)),
        h('section', { class: 'panel' }, h('h3', {}, 'Plan JSON'), h('pre', {}, pretty({ ...v.plan, fallback: v.fallback }))));
    } catch (e) {
      showError(out, e);
    }
  };
  return h('section', { class: 'panel', id: 'planner' }, h('h2', {}, 'Plan an instruction'),
    h('form', { class: 'plan-form', onsubmit: go }, input, h('button', { type: 'submit' }, 'Plan')), out);
}

// ---------------------------------------------------------------- boot

async function main() {
  const t0 = performance.now();
  if (location.pathname === '/plan') {
    app.replaceChildren(boot.planner ? planView() : h('div', { class: 'error' }, 'No planner in this checkout (planner/index.ts is missing).'));
  } else if (boot.runId) {
    const layout = h('div', { class: 'layout' }, runList(boot.runId), h('div', { id: 'detail' }, h('p', { class: 'muted' }, 'loading run…')));
    app.replaceChildren(layout);
    const view = await runView(boot.runId);
    layout.querySelector('#detail').replaceChildren(view);
  } else {
    app.replaceChildren(h('div', { class: 'layout' }, runList(), h('section', { class: 'panel muted', id: 'detail' }, 'Pick a run to see its statechart, timeline and history.')));
  }
  app.dataset.state = 'ready';
  document.body.dataset.readyMs = String(Math.round(performance.now() - t0));
}

main().catch((e) => showError(app, e));
