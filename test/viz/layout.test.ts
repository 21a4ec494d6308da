import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readChart } from '../../src/viz/chart.ts';
import { layoutMachine } from '../../src/viz/layout.ts';
import { renderWorkflowSvg } from '../../src/viz/svg.ts';
import { graphConfig, dagConfig } from './fixtures.ts';

const count = (config: any): number => 1 + Object.values(config.states ?? {}).reduce((s: number, c: any) => s + count(c), 0);
const inside = (outer: any, inner: any) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

test('readChart: every state once, targets resolved (#id, sibling, .child), kinds', () => {
  const chart = readChart(graphConfig);
  assert.is(chart.states.length, count(graphConfig));
  const t = chart.transitions.find((x) => x.source === 'shop.fetch.running' && x.event === 'step.succeeded')!;
  assert.equal(t.targets, ['shop.summarize']);
  const retry = chart.transitions.find((x) => x.source === 'shop.fetch.running' && x.guard?.startsWith('canRetry'))!;
  assert.equal(retry.targets, ['shop.fetch.waiting']);
  assert.is(retry.label, 'step.failed [canRetry(maxAttempts: 3)]');
  const cancel = chart.transitions.find((x) => x.source === 'shop' && x.event === 'run.cancel')!;
  assert.equal(cancel.targets, ['shop.failed']);
  assert.is(chart.states.find((s) => s.path === 'shop.rejected')!.failedFinal, true);
  assert.is(chart.states.find((s) => s.path === 'shop.succeeded')!.failedFinal, false);
  const dag = readChart(dagConfig);
  assert.is(dag.states.find((s) => s.path === 'etl.work')!.kind, 'parallel');
  assert.is(dag.states.find((s) => s.path === 'etl.work.extract_a')!.region, true);
});

test('readChart: a target that names no state is one error naming the state and field', () => {
  assert.throws(
    () => readChart({ id: 'm', initial: 'a', states: { a: { on: { GO: 'nowhere' } } } }),
    (e: Error) => e.message.includes('m.a (on.GO)') && e.message.includes('"nowhere"'),
  );
});

test('transition kinds: fail./failed final/after timeout are failures, backoff is a timer', () => {
  const chart = readChart(graphConfig);
  const kind = (src: string, pred: (t: any) => boolean) => chart.transitions.find((t) => t.source === src && pred(t))!.kind;
  assert.is(kind('shop.fetch.running', (t) => t.event === 'step.succeeded'), 'success');
  assert.is(kind('shop.fetch.running', (t) => t.delay === 'timeout_fetch'), 'failure');
  assert.is(kind('shop.fetch.waiting', (t) => t.delay === 'backoff_fetch'), 'timer');
  assert.is(kind('shop.approve.pending', (t) => t.event === 'approval.rejected'), 'failure');
  assert.is(kind('shop.approve.pending', (t) => t.event === 'approval.approved'), 'success');
  assert.is(readChart(dagConfig).transitions.find((t) => t.event === 'fail.report')!.kind, 'failure');
});

test('layout: compound states contain their children; edges have paths', async () => {
  for (const config of [graphConfig, dagConfig]) {
    const layout = await layoutMachine(config);
    assert.is(layout.states.length, count(config));
    const byPath = new Map(layout.states.map((s) => [s.state.path, s]));
    for (const s of layout.states) {
      assert.ok(s.width > 0 && s.height > 0, s.state.path);
      if (s.state.parent) assert.ok(inside(byPath.get(s.state.parent), s), `${s.state.path} inside ${s.state.parent}`);
    }
    for (const t of layout.transitions) {
      assert.ok(t.paths.length >= 1 && t.paths[0].length >= 2, `edge ${t.transition.label} has a path`);
      assert.ok(t.labelBox, `edge ${t.transition.label} has a label box`);
    }
  }
});

test('svg: one node per state, every transition labelled, failure edges red+dashed, finals double, regions dashed', async () => {
  const svg = await renderWorkflowSvg(graphConfig);
  const chart = readChart(graphConfig);
  assert.is((svg.match(/<g class="state /g) ?? []).length, chart.states.length);
  for (const s of chart.states) assert.ok(svg.includes(`data-full="${s.path}"`), s.path);
  const groups = svg.split('<g class="transition ').slice(1);
  assert.is(groups.length, chart.transitions.length);
  for (const t of chart.transitions) {
    const g = groups.find((x) => x.includes(`data-id="${t.id}"`))!;
    assert.ok(g.includes(`<g class="elabel ${t.kind}">`), `label group for ${t.label}`);
    assert.ok(g.includes(`>${t.label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</text>`), `label text ${t.label}`);
  }
  assert.match(svg, /\.edge\.failure \{ stroke: #c92a2a; stroke-dasharray/);
  assert.ok(svg.includes('class="edge failure"'));
  assert.ok(svg.includes('class="edge success"'));
  assert.is((svg.match(/class="inner"/g) ?? []).length, 3, 'three finals drawn double-bordered');
  const dag = await renderWorkflowSvg(dagConfig);
  assert.is((dag.match(/class="state kind-compound region/g) ?? []).length, 2);
  assert.match(dag, /\.state\.region > \.box \{[^}]*stroke-dasharray/);
});

test('svg: retry loop is drawn both ways (running -> waiting -> running)', async () => {
  const svg = await renderWorkflowSvg(graphConfig);
  assert.match(svg, /data-source="shop\.fetch\.running" data-event="step\.failed"[\s\S]*?shop\.fetch\.running → shop\.fetch\.waiting/);
  assert.match(svg, /shop\.fetch\.waiting → shop\.fetch\.running: after backoff_fetch/);
});

test('svg: active leaves lit, ancestors marked, escaping of labels', async () => {
  const svg = await renderWorkflowSvg(graphConfig, { active: ['fetch.running'] });
  assert.match(svg, /<g class="state kind-atomic active" data-path="fetch\.running"/);
  assert.match(svg, /<g class="state kind-compound lit" data-path="fetch"/);
  const weird = await renderWorkflowSvg({ id: 'w', initial: 'a', states: { a: { on: { 'x<y&"z"': 'b' } }, b: { type: 'final' } } });
  assert.ok(weird.includes('x&lt;y&amp;&quot;z&quot;'));
  assert.not.ok(weird.includes('x<y'));
});

test.run();
