import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../types.ts';
import { buildModel, catalogFingerprint, type PlannerModel } from './planner.ts';
import type { Weights } from './params.ts';

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
  const manifestFile = join(dir, 'model.json');
  let manifest: any;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    throw new Error(`${manifestFile}: cannot read the model manifest (${(err as Error).message})`);
  }
  if (manifest?.format !== FORMAT) throw new Error(`${manifestFile}: not a planner model (format ${JSON.stringify(manifest?.format)}, expected "${FORMAT}")`);
  if (catalog) {
    const fp = catalogFingerprint(catalog);
    if (fp !== manifest.fingerprint) {
      throw new Error(`${dir}: the model was trained for another catalog (${manifest.fingerprint}, ${manifest.catalog.tools.length} tools) than the one given (${fp}, ${catalog.tools.length} tools): ${describeMismatch(manifest.catalog, catalog)}`);
    }
  }
  const binFile = join(dir, 'weights.bin');
  let buf: Buffer;
  try {
    buf = readFileSync(binFile);
  } catch (err) {
    throw new Error(`${binFile}: cannot read the weights (${(err as Error).message})`);
  }
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
