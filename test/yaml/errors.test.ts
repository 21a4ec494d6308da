import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WorkflowFileError } from '../../machines/index.ts';
import { fromText } from './helpers.ts';

/**
 * Malformed workflow files: each gives one line, `file:line:column: problem`, pointing at the
 * offending key or value. Line and column are asserted exactly.
 */

const GOOD_STEP = `  - id: read
    worker: read-file
    input: { object: { path: { from: input } } }
`;

const BAD: { name: string; text: string; at: string; says: RegExp }[] = [
  {
    name: 'YAML syntax: a tab-less but broken flow mapping',
    text: `id: broken\nsteps:\n  - id: read\n    worker: { module: ./w.ts\n`,
    at: '5:1',
    says: /YAML: /,
  },
  {
    name: 'an unknown key on a step (misspelt)',
    text: `id: flow\nsteps:\n  - id: read\n    worker: read-file\n    retrys: { maxAttempts: 2 }\n`,
    at: '5:5',
    says: /unknown key "retrys" in steps\[0\]/,
  },
  {
    name: 'a wrong type: timeoutMs as text',
    text: `id: flow\nsteps:\n${GOOD_STEP}    timeoutMs: soon\n`,
    at: '6:16',
    says: /steps\[0\]\.timeoutMs: .*number/i,
  },
  {
    name: 'a missing worker on a task step',
    text: `id: flow\nsteps:\n  - id: read\n    description: no worker\n`,
    at: '3:5',
    says: /missing "worker" in steps\[0\]/,
  },
  {
    name: 'an unknown transformer',
    text: `id: flow\nsteps:\n${GOOD_STEP}  - id: text\n    worker: extract-text\n    input: { pluck: { step: read } }\n`,
    at: '8:12',
    says: /unknown transformer "pluck": use one of from, step, pick/,
  },
  {
    name: 'an unknown key deep inside an expression',
    text: `id: flow\nsteps:\n${GOOD_STEP}  - id: text\n    worker: extract-text\n    input:\n      object:\n        doc: { step: read, pth: text }\n`,
    at: '10:28',
    says: /unknown key "pth" in steps\[1\]\.input\.object\.doc/,
  },
  {
    name: 'an onSuccess target that names no step',
    text: `id: flow\nonFailure: failed\nsteps:\n${GOOD_STEP}    onSuccess: extract\n`,
    at: '7:16',
    says: /step "read": onSuccess names no step or final: "extract"/,
  },
  {
    name: 'a duplicate step id',
    text: `id: flow\nonFailure: failed\nsteps:\n${GOOD_STEP}${GOOD_STEP}`,
    at: '7:9',
    says: /duplicate step id "read"/,
  },
  {
    name: 'a step reference to a step that does not exist',
    text: `id: flow\nsteps:\n${GOOD_STEP}  - id: text\n    worker: extract-text\n    dependsOn: [read]\n    input: { step: reed, path: text }\n`,
    at: '9:20',
    says: /names no step: "reed"/,
  },
  {
    name: 'an unknown worker name',
    text: `id: flow\nsteps:\n  - id: read\n    worker: read-files\n    onFailure: failed\n`,
    at: '4:13',
    says: /step "read": unknown worker "read-files"/,
  },
  {
    name: 'a bad path in a reference',
    text: `id: flow\nsteps:\n${GOOD_STEP}  - id: text\n    worker: extract-text\n    dependsOn: [read]\n    input: { step: read, path: "a..b" }\n`,
    at: '9:32',
    says: /bad path "a\.\.b"/,
  },
  {
    name: 'a duplicate key (YAML)',
    text: `id: flow\nid: again\nsteps:\n${GOOD_STEP}`,
    at: '2:1',
    says: /YAML: Map keys must be unique/,
  },
  {
    name: 'a definition problem: graph form without a failure path',
    text: `id: flow\nsteps:\n${GOOD_STEP}`,
    at: '3:5',
    says: /step "read", field onFailure: no failure path/,
  },
  {
    name: 'a condition without a test',
    text: `id: flow\nonFailure: failed\nsteps:\n${GOOD_STEP}    onSuccess:\n      - { target: succeeded, when: { field: output.ok } }\n`,
    at: '8:36',
    says: /a field condition needs equals, notEquals or exists/,
  },
  {
    name: 'an approval step without a timeout',
    text: `id: flow\nonFailure: failed\nsteps:\n${GOOD_STEP}  - id: ok\n    type: approval\n`,
    at: '7:5',
    says: /missing "timeoutMs" in steps\[1\]/,
  },
  {
    name: 'JSON: a wrong type, positioned in the JSON text',
    text: `{\n  "id": "flow",\n  "steps": [\n    { "id": "read", "worker": "read-file", "dependsOn": "start" }\n  ]\n}\n`,
    at: '4:57',
    says: /steps\[0\]\.dependsOn: .*array/i,
  },
  {
    name: 'a template with a placeholder of no known root',
    text: `id: flow\nsteps:\n${GOOD_STEP}  - id: text\n    worker: summarise\n    dependsOn: [read]\n    input: { template: { text: "{{ files.a }}" } }\n`,
    at: '9:32',
    says: /must start with input, steps\.<id> or shared/,
  },
];

for (const bad of BAD) {
  test(`bad file: ${bad.name} -> one line at ${bad.at}`, () => {
    try {
      fromText(bad.text, 'bad/flow.yaml');
      assert.unreachable('accepted');
    } catch (e) {
      assert.instance(e, WorkflowFileError, String(e));
      const message = (e as Error).message;
      assert.not.match(message, /\n/, 'one line');
      assert.ok(message.startsWith(`bad/flow.yaml:${bad.at}: `), message);
      assert.match(message, bad.says, message);
    }
  });
}

test('at least ten distinct malformed files', () => {
  assert.ok(BAD.length >= 10);
});

test.run();
