import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workflowJsonSchema } from '../../machines/index.ts';
import { ROOT } from './helpers.ts';

const SCHEMA_FILE = path.join(ROOT, 'machines/yaml/workflow.schema.json');

test('the committed JSON Schema is the one generated from the zod schema', () => {
  assert.equal(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')), JSON.parse(JSON.stringify(workflowJsonSchema())));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/workflow-schema.mjs'), '--check'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

const validator = () => {
  const Ajv = (Ajv2020 as any).default ?? Ajv2020;
  return new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
};

test('an editor validating with the JSON Schema accepts both fixture workflows and points at a misspelt key', () => {
  const validate = validator();
  for (const name of ['build-website.yaml', 'paper-to-presentation.yaml']) {
    const data = parseYaml(fs.readFileSync(path.join(ROOT, 'fixtures/workflows', name), 'utf8'));
    assert.ok(validate(data), `${name}: ${JSON.stringify(validate.errors)}`);
  }
  const bad = { id: 'x', steps: [{ id: 'a', worker: 'read-file', retrys: { maxAttempts: 2 } }] };
  assert.not.ok(validate(bad));
  assert.ok(validate.errors!.some((e: any) => e.params?.additionalProperty === 'retrys'), JSON.stringify(validate.errors));
});

test('each fixture names the schema for editors on its first line', () => {
  for (const name of ['build-website.yaml', 'paper-to-presentation.yaml']) {
    const first = fs.readFileSync(path.join(ROOT, 'fixtures/workflows', name), 'utf8').split('\n')[0];
    assert.is(first, '# yaml-language-server: $schema=../../machines/yaml/workflow.schema.json');
  }
});

test.run();
