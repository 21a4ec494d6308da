import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Catalog } from '../types.ts';
import { buildModel, catalogFingerprint, type PlannerModel, type SharedIndexes } from './planner.ts';
import type { Weights } from './params.ts';
import { buildEnsemble, type EnsembleModel } from './ensemble.ts';

const FORMAT = 'orchestai-planner/1';

/**
 * Writes a model as `model.json` (format, catalog + fingerprint, config, decode options, threshold,
 * weight manifest) and `weights.bin` (little-endian float32: the idf table, then every weight).
 *
 * @example
 * saveModel(model, 'models/ultratool');
 */
export function saveModel(model: PlannerModel, dir: string): { bytes: number } {
  mkdirSync(dir, { recursive: true });
  const entries: { name: string; shape: number[]; offset: number; length: number }[] = [];
  const chunks: Float32Array[] = [model.idf];
  let offset = model.idf.length;
  for (const [name, w] of Object.entries(model.weights)) {
    entries.push({ name, shape: w.shape, offset, length: w.data.length });
    chunks.push(w.data);
    offset += w.data.length;
  }
  const all = new Float32Array(offset);
  let o = 0;
  for (const c of chunks) { all.set(c, o); o += c.length; }
  const bin = Buffer.from(all.buffer, all.byteOffset, all.byteLength);
  writeFileSync(join(dir, 'weights.bin'), bin);
  const manifest = {
    format: FORMAT,
    fingerprint: model.fingerprint,
    config: model.config,
    decode: model.decode,
    threshold: model.threshold,
    catalog: model.catalog,
    memory: model.memory,
    idf: { offset: 0, length: model.idf.length },
    weights: entries,
  };
  const json = JSON.stringify(manifest);
  writeFileSync(join(dir, 'model.json'), json);
  return { bytes: bin.length + Buffer.byteLength(json) };
}

function describeMismatch(saved: Catalog, given: Catalog): string {
  const a = new Map(saved.tools.map((t) => [t.name, t]));
  const b = new Map(given.tools.map((t) => [t.name, t]));
  const onlyModel = [...a.keys()].filter((n) => !b.has(n));
  const onlyGiven = [...b.keys()].filter((n) => !a.has(n));
  const changed = [...a.keys()].filter((n) => b.has(n) && JSON.stringify(a.get(n)) !== JSON.stringify(b.get(n)));
  const key = (l: { source: string; target: string }) => `${l.source} -> ${l.target}`;
  const la = new Set(saved.links.map(key)), lb = new Set(given.links.map(key));
  const linksOnlyModel = [...la].filter((l) => !lb.has(l)), linksOnlyGiven = [...lb].filter((l) => !la.has(l));
  const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` (+${xs.length - 5} more)` : '');
  const parts: string[] = [];
  if (onlyModel.length) parts.push(`tools only in the model: ${list(onlyModel)}`);
  if (onlyGiven.length) parts.push(`tools only in the catalog: ${list(onlyGiven)}`);
  if (changed.length) parts.push(`tools described differently: ${list(changed)}`);
  if (linksOnlyModel.length) parts.push(`links only in the model: ${list(linksOnlyModel)}`);
  if (linksOnlyGiven.length) parts.push(`links only in the catalog: ${list(linksOnlyGiven)}`);
  return parts.join('; ') || 'same tools and links in a different form';
}

/**
 * Loads a model saved by `saveModel`. With `catalog`, refuses a model trained for another catalog,
 * naming the directory and what differs (use `adaptModel` or `train({ from })` for a new catalog).
 *
 * @example
 * const model = loadModel('models/ultratool', catalog);
 */
export function loadModel(dir: string, catalog?: Catalog): PlannerModel {
  const { manifest, buf, binFile } = readSaved(dir, 'model.json', FORMAT, 'model', catalog);
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const take = (offset: number, length: number, what: string) => {
    if (offset + length > all.length) throw new Error(`${binFile}: truncated (${what} needs floats ${offset}..${offset + length}, file has ${all.length})`);
    return all.slice(offset, offset + length);
  };
  const weights: Weights = {};
  for (const e of manifest.weights) weights[e.name] = { shape: e.shape, data: take(e.offset, e.length, e.name) };
  return buildModel({
    config: manifest.config,
    decode: manifest.decode,
    catalog: manifest.catalog,
    idf: take(manifest.idf.offset, manifest.idf.length, 'idf'),
    weights,
    threshold: manifest.threshold,
    memory: manifest.memory ?? { requests: [], plans: [] },
  });
}

const ENSEMBLE_FORMAT = 'orchestai-planner-ensemble/1';

/**
 * int8 with one float32 scale per row: the hashed input layer W1 is ~80% of a member's bytes, and
 * 8 bits per weight keep its rows to within 0.4% of their largest entry, so several members fit in
 * the size budget of one float32 model (the bench scores the model as loaded back from disk).
 */
export function quantizeRows(w: Float32Array, rows: number, cols: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(rows * cols), scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(w[r * cols + c]));
    const s = m / 127 || 1;
    scale[r] = s;
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.round(w[r * cols + c] / s);
  }
  return { q, scale };
}

/** Weights stored as int8 rows (see quantizeRows); every other weight stays float32. */
const QUANTIZED = new Set(['W1', 'wordVec']);

/**
 * Writes an ensemble as `ensemble.json` (format, shared catalog, fingerprint and retrieval memory,
 * pooling rule, decode options, threshold, and per member its config, decode options and weight
 * manifest) and `weights.bin` (float32 section, then the int8 rows of each member's input layer;
 * arrays equal across members, such as the idf table and word vectors, are stored once).
 * Members must share the catalog and memory (same training examples), which are stored once.
 *
 * @example
 * saveEnsemble(ensemble, 'models/ultratool-ensemble') // { bytes: 14_000_000 }
 */
export function saveEnsemble(ens: EnsembleModel, dir: string): { bytes: number } {
  const first = ens.members[0];
  const memoryJson = JSON.stringify(first.memory);
  ens.members.forEach((m, i) => {
    if (JSON.stringify(m.memory) !== memoryJson) throw new Error(`saveEnsemble: member ${i + 1} remembers other examples than member 1 (members must be trained on the same examples)`);
  });
  mkdirSync(dir, { recursive: true });
  const floats: Float32Array[] = [], bytes: Int8Array[] = [];
  let fOff = 0, bOff = 0;
  // Members trained on the same examples carry identical idf tables and word vectors (1.1 MB of
  // int8 each with GloVe): equal arrays are written once and every member's manifest points at
  // that copy, so the loader needs no change and older files still load.
  const written = new Map<string, { offset: number; scaleOffset?: number }>();
  const once = (kind: string, a: Float32Array, write: () => { offset: number; scaleOffset?: number }) => {
    const key = `${kind}:${a.length}:${createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex')}`;
    let at = written.get(key);
    if (!at) { at = write(); written.set(key, at); }
    return at;
  };
  const putF = (a: Float32Array) => { floats.push(a); const at = fOff; fOff += a.length; return at; };
  const putB = (a: Int8Array) => { bytes.push(a); const at = bOff; bOff += a.length; return at; };
  const members = ens.members.map((m) => {
    const idf = { offset: once('f32', m.idf, () => ({ offset: putF(m.idf) })).offset, length: m.idf.length };
    const weights = Object.entries(m.weights).map(([name, w]) => {
      if (QUANTIZED.has(name) && w.shape.length === 2) {
        const at = once('int8-rows', w.data, () => {
          const { q, scale } = quantizeRows(w.data, w.shape[0], w.shape[1]);
          return { offset: putB(q), scaleOffset: putF(scale) };
        });
        return { name, shape: w.shape, dtype: 'int8-rows', offset: at.offset, length: w.data.length, scaleOffset: at.scaleOffset };
      }
      return { name, shape: w.shape, offset: once('f32', w.data, () => ({ offset: putF(w.data) })).offset, length: w.data.length };
    });
    return { config: m.config, decode: m.decode, threshold: m.threshold, idf, weights };
  });
  const bin = Buffer.alloc(fOff * 4 + bOff);
  let o = 0;
  for (const f of floats) { Buffer.from(f.buffer, f.byteOffset, f.byteLength).copy(bin, o); o += f.byteLength; }
  for (const b of bytes) { Buffer.from(b.buffer, b.byteOffset, b.byteLength).copy(bin, o); o += b.byteLength; }
  writeFileSync(join(dir, 'weights.bin'), bin);
  const manifest = {
    format: ENSEMBLE_FORMAT,
    fingerprint: first.fingerprint,
    combine: ens.combine,
    decode: ens.decode,
    threshold: ens.threshold,
    catalog: first.catalog,
    memory: first.memory,
    int8Start: fOff * 4,
    members,
  };
  const json = JSON.stringify(manifest);
  writeFileSync(join(dir, 'ensemble.json'), json);
  return { bytes: bin.length + Buffer.byteLength(json) };
}

/**
 * Loads an ensemble saved by `saveEnsemble`; with `catalog`, refuses one trained for another catalog.
 *
 * @example
 * const ens = loadEnsemble('models/ultratool-ensemble', catalog); ens.plan('...')
 */
export function loadEnsemble(dir: string, catalog?: Catalog): EnsembleModel {
  const { manifest, buf, binFile } = readSaved(dir, 'ensemble.json', ENSEMBLE_FORMAT, 'ensemble', catalog);
  const int8Start: number = manifest.int8Start;
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + int8Start));
  const int8 = new Int8Array(buf.buffer.slice(buf.byteOffset + int8Start, buf.byteOffset + buf.byteLength));
  const takeF = (offset: number, length: number, what: string) => {
    if (offset + length > floats.length) throw new Error(`${binFile}: truncated (${what} needs floats ${offset}..${offset + length}, file has ${floats.length})`);
    return floats.slice(offset, offset + length);
  };
  // The members remember the same examples over the same catalog (saveEnsemble stores them once): one set of memory indexes serves them all.
  const shared: SharedIndexes = { retrieval: new Map() };
  const members = (manifest.members as any[]).map((m, k) => {
    const weights: Weights = {};
    for (const e of m.weights) {
      const what = `member ${k + 1} ${e.name}`;
      if (e.dtype === 'int8-rows') {
        if (e.offset + e.length > int8.length) throw new Error(`${binFile}: truncated (${what} needs bytes ${e.offset}..${e.offset + e.length} of the int8 section, which has ${int8.length})`);
        const [rows, cols] = e.shape;
        const scale = takeF(e.scaleOffset, rows, `${what} scales`);
        const data = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = int8[e.offset + r * cols + c] * scale[r];
        weights[e.name] = { shape: e.shape, data };
      } else {
        weights[e.name] = { shape: e.shape, data: takeF(e.offset, e.length, what) };
      }
    }
    return buildModel({ config: m.config, decode: m.decode, catalog: manifest.catalog, idf: takeF(m.idf.offset, m.idf.length, `member ${k + 1} idf`), weights, threshold: m.threshold, memory: manifest.memory }, shared);
  });
  return buildEnsemble(members, { combine: manifest.combine, decode: manifest.decode, threshold: manifest.threshold });
}

/**
 * Checks saved decode options (a hand-edited manifest reaches the beam search as is); throws a
 * one-line error naming the file and the field.
 *
 * @example
 * checkDecode({ beamWidth: 4, maxNodes: 8, constrainToGraph: true, allowRepeats: false, allowExtraRoots: true, minLeafProb: 2 }, 'm/ensemble.json', 'decode') // throws: field "decode.minLeafProb" must be a number from 0 to 1, got 2
 */
function checkDecode(value: unknown, file: string, where: string): void {
  if (!value || typeof value !== 'object') throw new Error(`${file}: field "${where}" must be an object of decode options`);
  const d = value as Record<string, unknown>;
  const bad = (field: string, want: string) => new Error(`${file}: field "${where}.${field}" must be ${want}, got ${JSON.stringify(d[field])}`);
  for (const k of ['beamWidth', 'maxNodes']) if (!Number.isInteger(d[k]) || (d[k] as number) < 1) throw bad(k, 'a whole number >= 1');
  for (const k of ['constrainToGraph', 'allowRepeats', 'allowExtraRoots']) if (typeof d[k] !== 'boolean') throw bad(k, 'true or false');
  if (d.linkByType !== undefined && typeof d.linkByType !== 'boolean') throw bad('linkByType', 'true or false');
  for (const k of ['stopOffset', 'coverageWeight', 'mbrNodeWeight', 'stepMemoryWeight']) if (d[k] !== undefined && !Number.isFinite(d[k])) throw bad(k, 'a finite number');
  if (d.minLeafProb !== undefined && !(typeof d.minLeafProb === 'number' && d.minLeafProb >= 0 && d.minLeafProb <= 1)) throw bad('minLeafProb', 'a number from 0 to 1');
  if (d.select !== undefined && d.select !== 'map' && d.select !== 'mbr') throw bad('select', '"map" or "mbr"');
}

/**
 * Reads a saved model's manifest and weights, with errors naming the file, and refuses a model
 * trained for another catalog than `catalog` (naming the differences).
 *
 * @example
 * const { manifest, buf } = readSaved(dir, 'model.json', FORMAT, 'model', catalog);
 */
function readSaved(dir: string, manifestName: string, format: string, kind: 'model' | 'ensemble', catalog?: Catalog): { manifest: any; buf: Buffer; binFile: string } {
  const manifestFile = join(dir, manifestName);
  let manifest: any;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    throw new Error(`${manifestFile}: cannot read the ${kind} manifest (${(err as Error).message})`);
  }
  if (manifest?.format !== format) throw new Error(`${manifestFile}: not a planner ${kind} (format ${JSON.stringify(manifest?.format)}, expected "${format}")`);
  checkDecode(manifest.decode, manifestFile, 'decode');
  if (Array.isArray(manifest.members)) manifest.members.forEach((m: any, k: number) => checkDecode(m?.decode, manifestFile, `members[${k}].decode`));
  if (catalog) {
    // Both sides hashed by the same function now: a fingerprint stored by an older version (which
    // hashed descriptions untrimmed) must not refuse the very catalog the model was trained on.
    const fp = catalogFingerprint(catalog), saved = catalogFingerprint(manifest.catalog);
    if (fp !== saved) {
      throw new Error(`${dir}: the ${kind} was trained for another catalog (${saved}, ${manifest.catalog.tools.length} tools) than the one given (${fp}, ${catalog.tools.length} tools): ${describeMismatch(manifest.catalog, catalog)}`);
    }
  }
  const binFile = join(dir, 'weights.bin');
  try {
    return { manifest, buf: readFileSync(binFile), binFile };
  } catch (err) {
    throw new Error(`${binFile}: cannot read the weights (${(err as Error).message})`);
  }
}

/** A single planner or an ensemble: both plan, carry a catalog, fingerprint and threshold. */
export type AnyPlannerModel = PlannerModel | EnsembleModel;

/**
 * True when `model` is an ensemble (it has members).
 *
 * @example
 * isEnsemble(loadAnyModel('models/ultratool-ensemble')) // true
 */
export function isEnsemble(model: AnyPlannerModel): model is EnsembleModel {
  return 'members' in model;
}

/**
 * True when `dir` holds an ensemble (`ensemble.json`, written by `train --members N`) rather than
 * one model (`model.json`, which wins when a directory holds both).
 *
 * @example
 * isEnsembleDir('models/ultratool-ensemble') // true
 */
export function isEnsembleDir(dir: string): boolean {
  return existsSync(join(dir, 'ensemble.json')) && !existsSync(join(dir, 'model.json'));
}

/**
 * Loads whatever `dir` holds, a single model or an ensemble; with `catalog`, refuses one trained for
 * another catalog (as `loadModel` and `loadEnsemble` do).
 *
 * @example
 * const model = loadAnyModel('models/ultratool-ensemble'); model.plan('cancel my 8am alarm')
 */
export function loadAnyModel(dir: string, catalog?: Catalog): AnyPlannerModel {
  return isEnsembleDir(dir) ? loadEnsemble(dir, catalog) : loadModel(dir, catalog);
}
