import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileWorkflow, defineWorker, defineWorkflow, toMermaid, WorkflowDefinitionError } from '../../src/index.ts';
import { builtinWorkflows } from '../../workflows/builtins.ts';
import { renderWorkflowSvg } from '../../src/viz/svg.ts';
import { z } from 'zod';
import { candidate } from './support.ts';

const small = candidate('small', [], {}, { maxAttempts: 2 });
const large = candidate('large');

function problemsOf(make: () => unknown): string[] {
  try {
    make();
  } catch (e) {
    if (e instanceof WorkflowDefinitionError) return e.problems.map((p) => `${p.step}|${p.field}|${p.message}`);
    throw e;
  }
  assert.unreachable('the definition was accepted');
  return [];
}

test('a step with candidates keeps them; its worker is the first (the default) and its policy comes from it', () => {
  const wf = defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 'sum', candidates: [small, large] }] });
  const step = wf.steps[0];
  assert.is(step.worker, small);
  assert.equal(step.candidates!.map((w) => w.name), ['small', 'large']);
  assert.is(step.capability, 'sum', 'capability defaults to the step id');
  assert.is(step.retry.maxAttempts, 2);
  const named = defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 'sum', candidates: [small, large], capability: 'summary' }] });
  assert.is(named.steps[0].capability, 'summary');
});

test('definition errors: one candidate, duplicate names, both worker and candidates, a non-worker, an empty capability', () => {
  assert.equal(problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', candidates: [small] }] })), ['s|candidates|must list at least 2 workers, got 1 (use worker for one)']);
  assert.equal(problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', candidates: [small, large, candidate('small')] }] })), ['s|candidates[2]|duplicate worker name "small"']);
  assert.equal(problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', worker: small, candidates: [small, large] }] })), ['s|candidates|give either worker or candidates, not both']);
  assert.equal(problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', candidates: [small, 'large' as any] }] })), ['s|candidates[1]|must be a worker made by defineWorker']);
  assert.equal(problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', candidates: [small, large], capability: ' ' }] })), ['s|capability|must be a non-empty string']);
  assert.equal(problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's' } as any] })), ['s|worker|must be a worker made by defineWorker']);
  try {
    defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', candidates: [small] }] });
  } catch (e) {
    assert.match((e as Error).message, /step "s", field candidates: must list at least 2 workers/);
  }
});

test('defineWorker keeps price and latency, and rejects a bad price naming the field', () => {
  const w = candidate('priced', [], {}, { price: { perCall: 0.01, perOutputToken: 0.00002 }, latencyMs: 300 });
  assert.equal([w.price, w.latencyMs], [{ perCall: 0.01, perOutputToken: 0.00002 }, 300]);
  const bad = (price: any, latencyMs?: number) => () => defineWorker({ name: 'b', description: 'b', input: z.any(), output: z.any(), run: () => null, price, latencyMs });
  assert.throws(bad({ perCall: -1 }), /defineWorker\("b"\): price\.perCall must be a number >= 0/);
  assert.throws(bad({ perToken: 1 }), /price\.perToken is not a price field/);
  assert.throws(bad(undefined, -5), /latencyMs must be a number >= 0/);
});

test('the hash covers candidate names and capability; a workflow without candidates hashes as before', () => {
  const make = (cands: any[], capability?: string) => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', candidates: cands, ...(capability ? { capability } : {}) }] }).hash;
  assert.is(make([small, large]), make([small, large]));
  assert.is.not(make([small, large]), make([large, small]));
  assert.is.not(make([small, large]), make([small, large, candidate('xl')]));
  assert.is.not(make([small, large]), make([small, large], 'other'));
  assert.is.not(make([small, large]), defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 's', worker: small }] }).hash);
  // Steps without candidates hash exactly as before routing existed, so recorded histories of the
  // built-ins still match their definitions. (The hash reads transformer sources, which depend on
  // the TypeScript loader, so it is checked against the pre-routing formula, not a literal.)
  for (const [name, make] of Object.entries(builtinWorkflows)) {
    const wf = make();
    assert.is(wf.hash, preRoutingHash(wf), name);
  }
});

test('the compiled chart shows the candidates: running-state meta, Mermaid and SVG', async () => {
  const wf = defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 'sum', candidates: [small, large], capability: 'summary' }, { id: 'after', worker: large }] });
  const { config } = compileWorkflow(wf);
  assert.equal(config.states.sum.states.running.meta, { candidates: ['small', 'large'], capability: 'summary' });
  assert.is(config.states.sum.meta.worker, 'small');
  assert.is(config.states.after.states.running.meta, undefined, 'a step with one worker has no candidates meta');
  const mermaid = toMermaid({ config });
  assert.ok(mermaid.includes('  sum__running : candidates small | large\n'), mermaid);
  assert.not.ok(mermaid.includes('after__running :'));
  const svg = await renderWorkflowSvg(config);
  assert.ok(svg.includes('>candidates: small | large</text>'));
  assert.is(svg.match(/candidates:/g)!.length, 1);
});

/** The definition hash as written before steps could have candidates (a frozen copy, for the test above). */
function preRoutingHash(w: any): string {
  const fn = (f: unknown) => (typeof f === 'function' ? f.toString() : undefined);
  const canonical = JSON.stringify({
    id: w.id,
    form: w.form,
    start: w.start,
    finals: w.finals,
    output: fn(w.output),
    steps: w.steps.map((s: any) => ({
      id: s.id,
      type: s.type,
      worker: s.worker?.name,
      input: fn(s.input),
      output: fn(s.output),
      retry: s.retry,
      timeoutMs: s.timeoutMs,
      approvalTimeoutMs: s.approvalTimeoutMs,
      dependsOn: s.dependsOn,
      onFailure: s.onFailure,
      branches: s.branches.map((b: any) => ({ target: b.target, label: b.label, maxTimes: b.maxTimes, when: fn(b.when) })),
    })),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

test.run();
