import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseWorkflowFile, workflowFromFile, type WorkflowFile } from '../../machines/index.ts';
import type { Workflow } from '../../machines/definition.ts';
import { workerByName } from '../../workflows/catalog.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A workflow file of fixtures/workflows, its workers resolved by built-in name. */
export function loadFixture(name: string, options: { code?: 'reject' | 'placeholder' } = {}): Workflow {
  const file = path.join(ROOT, 'fixtures/workflows', name);
  return fromText(fs.readFileSync(file, 'utf8'), file, options);
}

export function fromText(text: string, file: string, options: { code?: 'reject' | 'placeholder' } = {}): Workflow {
  return workflowFromFile(parseWorkflowFile(text, file), (ref) => workerByName(String(ref)), options);
}

export function parse(text: string, file = 'flow.yaml'): WorkflowFile {
  return parseWorkflowFile(text, file);
}

export async function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-yaml-'));
  try {
    return await fn(home);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
