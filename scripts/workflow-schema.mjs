#!/usr/bin/env node
// Writes machines/yaml/workflow.schema.json, the JSON Schema of workflow files, from the zod
// schema in machines/yaml/schema.ts (the schema is the source; the JSON file is generated).
// `--check` writes nothing and exits 1 when the committed file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'machines/yaml/workflow.schema.json');
const { workflowJsonSchema } = await tsImport(path.join(root, 'machines/yaml/schema.ts'), import.meta.url);
const text = `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(root, target)} is stale: run node scripts/workflow-schema.mjs`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)}`);
}
