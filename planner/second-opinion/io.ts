import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quantizeRows } from '../model/io.ts';
import { readJsonFile } from '../data/json-file.ts';
import type { SecondOpinionHead } from './head.ts';

/** `second-opinion.json` (features, tools, per-tool scales) and `second-opinion.bin` (int8 weights, tool by tool). */
export const SECOND_OPINION_FILE = 'second-opinion.json';
const WEIGHTS_FILE = 'second-opinion.bin';
const FORMAT = 'orchestai-second-opinion/1';

/** A saved head and the rule `withSecondOpinion` applies with it. */
export interface SavedSecondOpinion {
  head: SecondOpinionHead;
  /**
   * The head overrules the pooled plan only when, on every tool the two disagree about, its
   * probability is at least 0.5 + margin or at most 0.5 - margin.
   */
  margin: number;
}

/**
 * Writes the head next to a model, its weights as int8 with one scale per tool (as the members'
 * input layers are stored): 17 tools x 32,768 buckets in 557 KB.
 *
 * @example
 * saveSecondOpinion({ head, margin: 0.35 }, 'fixtures/planner/model', 'hand-written train split')
 */
export function saveSecondOpinion(saved: SavedSecondOpinion, dir: string, trainedOn: string): { bytes: number } {
  const { head, margin } = saved;
  const rows = head.weights.length, cols = head.features.dim;
  const flat = new Float32Array(rows * cols);
  head.weights.forEach((w, r) => flat.set(w, r * cols));
  const { q, scale } = quantizeRows(flat, rows, cols);
  writeFileSync(join(dir, WEIGHTS_FILE), q);
  const json = JSON.stringify({ format: FORMAT, features: head.features, tools: head.tools, scales: [...scale], margin, trainedOn }) + '\n';
  writeFileSync(join(dir, SECOND_OPINION_FILE), json);
  return { bytes: q.length + Buffer.byteLength(json) };
}

/**
 * The head saved in `dir`, or undefined when there is none. A malformed file is an error naming the
 * file and the field.
 *
 * @example
 * readSecondOpinion('fixtures/planner/model')?.margin // 0.35
 */
export function readSecondOpinion(dir: string): SavedSecondOpinion | undefined {
  const file = join(dir, SECOND_OPINION_FILE);
  if (!existsSync(file)) return undefined;
  const v = readJsonFile(file);
  const field = (name: string, ok: boolean, want: string) => {
    if (!ok) throw new Error(`${file}: field "${name}" must be ${want}`);
  };
  field('format', v?.format === FORMAT, `"${FORMAT}"`);
  const f = v.features;
  field('features', Number.isInteger(f?.dim) && f.dim > 0 && Array.isArray(f.charNgrams) && f.charNgrams.every((n: unknown) => Number.isInteger(n) && (n as number) > 0) && typeof f.charWeight === 'number', '{ dim, charNgrams, charWeight }');
  field('tools', Array.isArray(v.tools) && v.tools.length > 0 && v.tools.every((t: unknown) => typeof t === 'string'), 'a non-empty list of tool names');
  field('scales', Array.isArray(v.scales) && v.scales.length === v.tools.length && v.scales.every((s: unknown) => typeof s === 'number'), 'one number per tool');
  field('margin', typeof v.margin === 'number' && v.margin >= 0 && v.margin < 0.5, 'a number in [0, 0.5)');
  const bin = join(dir, WEIGHTS_FILE);
  if (!existsSync(bin)) throw new Error(`${bin}: missing (${file} needs its weights)`);
  const raw = readFileSync(bin);
  const q = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (q.length !== v.tools.length * f.dim) throw new Error(`${bin}: ${q.length} bytes, expected ${v.tools.length} tools x ${f.dim} buckets`);
  const weights = v.tools.map((_: string, r: number) => Float32Array.from(q.subarray(r * f.dim, (r + 1) * f.dim), (x) => x * v.scales[r]));
  return { head: { features: { dim: f.dim, charNgrams: f.charNgrams, charWeight: f.charWeight }, tools: v.tools, weights }, margin: v.margin };
}
