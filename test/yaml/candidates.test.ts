import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseWorkflowFile, workflowFromFile, workflowToYaml, WorkflowFileError, type WorkerRef } from '../../machines/index.ts';
import { compileWorkflow, createJsonlStore, defineWorker, defineWorkflow, loadWorkflowFile, replay, run, type AnyWorker, type Router, type Workflow } from '../../src/index.ts';
import { workerRefFor } from '../../src/project/workflow-file.ts';
import { ROOT, withHome } from './helpers.ts';

/**
 * Routed steps in workflow files: `candidates: [worker, ...]` (each a reference as `worker:`
 * takes) and `capability:` compile to the code form's definition, run with a router, export back,
 * and every malformed use is one line at its exact place.
 */

/** A worker that signs its output, so a run tells which candidate did the work. */
const signer = (name: string): AnyWorker =>
  defineWorker({
    name,
    description: `Signs a text as ${name}.`,
    input: z.any(),
    output: z.object({ by: z.string(), text: z.string() }),
    run: (input: any) => ({ by: name, text: String(input?.text ?? '') }),
  });

const small = signer('small');
const large = signer('large');
/** Another name for `small`: a different reference that resolves to a worker already listed. */
const WORKERS: Record<string, AnyWorker> = { small, large, alias: small };

const byName = (ref: WorkerRef): AnyWorker => {
  const w = typeof ref === 'string' ? WORKERS[ref] : undefined;
  if (!w) throw new Error(`unknown worker ${JSON.stringify(ref)}`);
  return w;
};

const fromText = (text: string, file = 'flow.yaml') => workflowFromFile(parseWorkflowFile(text, file), byName);
const chart = (wf: Workflow) => JSON.stringify(compileWorkflow(wf).config);
const FLOWS = path.join(ROOT, 'test/yaml/flows');

const ROUTED = `id: routed
onFailure: failed
steps:
  - id: summarise
    candidates: [small, large]
    capability: summary
  - id: publish
    worker: small
`;

const codeForm = (capability?: string) =>
  defineWorkflow({
    id: 'routed',
    onFailure: 'failed',
    steps: [{ id: 'summarise', candidates: [small, large], ...(capability ? { capability } : {}) }, { id: 'publish', worker: small }],
  });

test('a file with candidates compiles to the same chart and hash as the code form', () => {
  const file = fromText(ROUTED);
  const code = codeForm('summary');
  assert.equal(file.steps[0].candidates!.map((w) => w.name), ['small', 'large']);
  assert.is(file.steps[0].worker, small, 'the first candidate is the default worker');
  assert.is(file.steps[0].capability, 'summary');
  assert.is(file.hash, code.hash);
  assert.is(chart(file), chart(code));
  // Block-list candidates are the same thing; without capability, it defaults to the step id in both forms.
  const block = fromText(ROUTED.replace('    candidates: [small, large]\n    capability: summary\n', '    candidates:\n      - small\n      - large\n'));
  assert.is(block.steps[0].capability, 'summarise');
  assert.is(block.hash, codeForm().hash);
  assert.is.not(block.hash, code.hash);
});

test('a file with candidates runs with a router choosing the second: route.decided, then that worker; replay is clean', () =>
  withHome(async (home) => {
    const { workflow, close } = await loadWorkflowFile(path.join(FLOWS, 'routed.yaml'));
    try {
      const store = createJsonlStore(home);
      const requests: string[][] = [];
      const router: Router = {
        id: 'second',
        version: '1',
        route: (req) => {
          requests.push([req.step, req.capability, ...req.candidates.map((c) => c.worker)]);
          return { worker: req.candidates[1].worker, policy: 'test', version: '1' };
        },
      };
      const r = await run(workflow, { text: 'Hello' }, { store, router });
      assert.is(r.status, 'succeeded', JSON.stringify(r.error));
      assert.equal(r.output, { text: '...hello...' });
      assert.equal(requests, [['voice', 'restyle', 'shout', 'whisper']]);
      const events = store.read(r.runId) as any[];
      const at = events.findIndex((e) => e.type === 'route.decided');
      assert.ok(at >= 0, 'route.decided recorded');
      const d = events[at];
      assert.equal([d.step, d.attempt, d.worker, d.candidates, d.capability, d.policy, d.version], ['voice', 1, 'whisper', ['shout', 'whisper'], 'restyle', 'test', '1']);
      assert.equal([events[at + 1].type, events[at + 1].worker], ['step.started', 'whisper']);
      const rp = replay(events, workflow);
      assert.ok(rp.ok, JSON.stringify(rp.divergence));
      // With no router, the first candidate runs.
      const plain = await run(workflow, { text: 'Hello' }, { store });
      assert.equal(plain.output, { text: 'HELLO!' });
    } finally {
      await close();
    }
  }));

test('export: candidates and capability are written, and the file parses back to the same definition', () => {
  const code = codeForm('summary');
  const text = workflowToYaml(code);
  assert.ok(text.includes('  - id: summarise\n    candidates: [ small, large ]\n    capability: summary\n'), text);
  assert.not.match(text, /code:/);
  assert.is(fromText(text).hash, code.hash);
  // The default capability (the step id) is left out; a capability on a one-worker step is kept.
  const plain = workflowToYaml(codeForm());
  assert.not.match(plain, /capability:/);
  assert.is(fromText(plain).hash, codeForm().hash);
  const single = defineWorkflow({ id: 'single', onFailure: 'failed', steps: [{ id: 'a', worker: large, capability: 'signing' }] });
  const singleText = workflowToYaml(single);
  assert.match(singleText, /worker: large\n {4}capability: signing\n/);
  assert.is(fromText(singleText).hash, single.hash);
});

test('export: a loaded file with module candidates round-trips from another folder (paths re-based)', () =>
  withHome(async (home) => {
    const loaded = await loadWorkflowFile(path.join(FLOWS, 'routed.yaml'));
    try {
      const text = workflowToYaml(loaded.workflow, { workerRef: (w) => workerRefFor(w, home) });
      const rel = path.relative(home, path.join(FLOWS, 'workers.ts')).split(path.sep).join('/');
      assert.ok(text.includes(`    candidates:\n      - { module: ${rel}, export: shout }\n      - { module: ${rel}, export: whisper }\n    capability: restyle\n`), text);
      const out = path.join(home, 'routed.yaml');
      fs.writeFileSync(out, text);
      const back = await loadWorkflowFile(out);
      assert.is(back.workflow.hash, loaded.workflow.hash);
      assert.is(chart(back.workflow), chart(loaded.workflow));
      await back.close();
    } finally {
      await loaded.close();
    }
  }));

const HEAD = 'id: flow\nonFailure: failed\nsteps:\n  - id: sum\n';

const BAD: { name: string; text: string; at: string; says: string }[] = [
  { name: 'both worker and candidates', text: `${HEAD}    worker: small\n    candidates: [small, large]\n`, at: '6:17', says: 'steps[0].candidates: give either worker or candidates, not both' },
  { name: 'one candidate', text: `${HEAD}    candidates: [small]\n`, at: '5:17', says: 'steps[0].candidates: list at least 2 workers (use worker for one)' },
  { name: 'a duplicate candidate', text: `${HEAD}    candidates:\n      - small\n      - large\n      - small\n`, at: '8:9', says: 'step "sum": duplicate candidate "small" (also candidates[0])' },
  { name: 'an unknown candidate worker', text: `${HEAD}    candidates: [small, lage]\n`, at: '5:25', says: 'step "sum": unknown worker "lage"' },
  { name: 'two references to one worker', text: `${HEAD}    candidates: [small, large, alias]\n`, at: '5:32', says: 'step "sum", field candidates[2]: duplicate worker name "small"' },
  { name: 'a blank capability', text: `${HEAD}    candidates: [small, large]\n    capability: " "\n`, at: '6:17', says: 'steps[0].capability: a capability is a non-empty string' },
  { name: 'a candidate that is not a worker reference', text: `${HEAD}    candidates: [small, 3]\n`, at: '5:25', says: 'steps[0].candidates[1]: not a worker reference: use a worker name, { module, export } or { mcp, tool }' },
];

for (const bad of BAD) {
  test(`bad candidates: ${bad.name} -> one line at ${bad.at}`, () => {
    try {
      fromText(bad.text, 'bad/flow.yaml');
      assert.unreachable('accepted');
    } catch (e) {
      assert.instance(e, WorkflowFileError, String(e));
      assert.is((e as Error).message, `bad/flow.yaml:${bad.at}: ${bad.says}`);
    }
  });
}

test('loading a file: an unknown built-in or a missing module among the candidates is an error at that candidate', () =>
  withHome(async (home) => {
    const cases = [
      { text: `${HEAD}    candidates:\n      - summarise\n      - sumarise\n`, at: '7:9', says: /^step "sum": unknown worker "sumarise": name a built-in worker/ },
      { text: `${HEAD}    candidates:\n      - summarise\n      - { module: ./missing.ts }\n`, at: '7:9', says: /^step "sum": worker module not found: .*missing\.ts$/ },
    ];
    for (const c of cases) {
      const file = path.join(home, 'flow.yaml');
      fs.writeFileSync(file, c.text);
      try {
        await loadWorkflowFile(file, 'flow.yaml');
        assert.unreachable('accepted');
      } catch (e) {
        assert.instance(e, WorkflowFileError, String(e));
        const message = (e as Error).message;
        assert.ok(message.startsWith(`flow.yaml:${c.at}: `), message);
        assert.match(message.slice(`flow.yaml:${c.at}: `.length), c.says);
      }
    }
  }));

test('the JSON Schema accepts a routed step and rejects one with both worker and candidates, or one candidate', () => {
  const Ajv = (Ajv2020 as any).default ?? Ajv2020;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'machines/yaml/workflow.schema.json'), 'utf8')));
  assert.ok(validate(parseYaml(fs.readFileSync(path.join(FLOWS, 'routed.yaml'), 'utf8'))), JSON.stringify(validate.errors));
  assert.ok(validate(parseYaml(ROUTED)), JSON.stringify(validate.errors));
  const step = (s: Record<string, unknown>) => ({ id: 'x', steps: [{ id: 'a', ...s }] });
  assert.not.ok(validate(step({ worker: 'small', candidates: ['small', 'large'] })));
  assert.not.ok(validate(step({ candidates: ['small'] })));
  assert.not.ok(validate(step({ candidates: ['small', 'large'], capability: '' })));
});

test.run();
