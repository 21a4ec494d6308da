import { createHash } from 'node:crypto';
import type { Catalog, Plan } from '../types.ts';
import { splitClauses } from '../encode/clauses.ts';
import { featurize, tokenFeatures, type SparseVec } from '../encode/features.ts';
import { beamDecode, type Decoded, type DecodeOptions, type StepScorer } from '../decode/beam.ts';
import { relinkedByType } from '../decode/typed-links.ts';
import { CompiledNetwork } from './infer.ts';
import { WordVectorIndex, wordIdf } from '../encode/word-vectors.ts';
import { toolGraph, toolText, type ToolGraph } from './graph.ts';
import type { ModelConfig, Weights } from './params.ts';
import { RetrievalMemory, type MemoryData, type Neighbour } from './memory.ts';
import { StepMemory } from './step-memory.ts';

/** Longest instruction a planner accepts. */
export const MAX_INSTRUCTION_CHARS = 10_000;

/** Everything a trained planner is made of; `saveModel` writes exactly this. */
export interface ModelParts {
  config: ModelConfig;
  decode: DecodeOptions;
  catalog: Catalog;
  idf: Float32Array;
  weights: Weights;
  /** Plans whose confidence is below this are flagged `lowConfidence` (calibrated on dev). */
  threshold: number;
  /** Past instructions and plans consulted by the retrieval prior (the training examples). */
  memory: MemoryData;
}

/**
 * Per-instruction inputs that members of an ensemble with the same features, idf and memory can
 * compute once: the retrieval neighbours, the instruction's features and its token features.
 */
export interface SharedInputs {
  neighbours?: Neighbour[]; x?: SparseVec; tokens?: SparseVec[];
  /** The instruction's clauses and their features, computed on first call (see `clauseFeatures`). */
  clauses?: () => ClauseFeatures;
}

/** An instruction's clauses (`splitClauses`) with each one's sparse features. */
export interface ClauseFeatures { texts: string[]; x: SparseVec[] }

/**
 * Splits an instruction into clauses and featurises each, for the sub-task-text head.
 *
 * @example
 * clauseFeatures('book a flight to Oslo, then a hotel near the port', model.config.features, model.idf).texts.length // 2
 */
export function clauseFeatures(instruction: string, features: ModelConfig['features'], idf: Float32Array): ClauseFeatures {
  const texts = splitClauses(instruction);
  return { texts, x: texts.map((c) => featurize(c, features, idf)) };
}

/** The model's word vectors, when its config has them. */
function wordVectorIndex(parts: ModelParts): WordVectorIndex | undefined {
  const cfg = parts.config.wordVectors;
  if (!cfg) return undefined;
  if (!parts.weights.wordVec) throw new Error('planner model: the config has word vectors but the weights lack wordVec');
  return new WordVectorIndex({ ...cfg, vectors: parts.weights.wordVec.data });
}

/** A trained planner bound to one catalog. */
export interface PlannerModel extends ModelParts {
  fingerprint: string;
  graph: ToolGraph;
  net: CompiledNetwork;
  retrieval?: RetrievalMemory;
  /** Past sub-task texts, when the memory has them and the model has a sub-task-text head. */
  steps?: StepMemory;
  /** Plans an instruction; `overrides` switch decoding features (used by the ablation). */
  plan(instruction: string, overrides?: Partial<DecodeOptions>): Plan;
  /** The per-step scores for one instruction (stop offset and retrieval prior included); an ensemble combines several. */
  scorer(instruction: string, stopOffset?: number, shared?: SharedInputs): StepScorer;
}

/**
 * A stable fingerprint of a catalog (tool names, descriptions, types and links, order-independent):
 * a model is only valid for the catalog it was trained or adapted on.
 *
 * @example
 * catalogFingerprint(catalog) // 'sha256:3f2a...'
 */
export function catalogFingerprint(catalog: Catalog): string {
  const tools = catalog.tools
    // Whitespace around and inside a description means nothing to the model, and catalog files
    // differ in it (21 UltraTool descriptions end in a space): it is normalised before hashing.
    .map((t) => [t.name, t.description.trim().replace(/\s+/g, ' '), t.inputType ?? [], t.outputType ?? []])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const links = catalog.links.map((l) => `${l.source}\u0000${l.target}`).sort();
  return 'sha256:' + createHash('sha256').update(JSON.stringify({ tools, links })).digest('hex').slice(0, 32);
}

/**
 * Checks an instruction before planning: empty or oversized input is one clear error.
 *
 * @example
 * checkInstruction('book a flight') // ok; checkInstruction('') throws
 */
export function checkInstruction(instruction: unknown): string {
  if (typeof instruction !== 'string' || instruction.trim() === '') throw new Error('plan: the instruction is empty');
  if (instruction.length > MAX_INSTRUCTION_CHARS) {
    throw new Error(`plan: the instruction has ${instruction.length} characters, over the limit of ${MAX_INSTRUCTION_CHARS}`);
  }
  return instruction;
}

/**
 * A decoded worker sequence as a plan: node ids n1..nk, dependencies by id, confidence = the
 * sequence probability, flagged low below `threshold`.
 *
 * @example
 * decodedPlan('cancel my alarm', beamDecode(scorer, graph.succ, decode), graph, 0.5)
 */
export function decodedPlan(instruction: string, decoded: Decoded, graph: ToolGraph, threshold: number): Plan {
  const confidence = Math.exp(decoded.logProb);
  return {
    instruction,
    nodes: decoded.nodes.map((n, i) => ({
      id: `n${i + 1}`,
      worker: graph.names[n.tool],
      dependsOn: n.deps.map((d) => `n${d + 1}`),
      confidence: n.prob,
    })),
    confidence,
    lowConfidence: confidence < threshold,
    source: 'model',
  };
}

/**
 * Memory indexes that models remembering the same examples over the same catalog share: an
 * ensemble's members (loadEnsemble) keep one index of their 12,760 remembered requests instead of
 * one each, built once at load, and searched once per instruction instead of once per voting member.
 */
export interface SharedIndexes { retrieval: Map<number, RetrievalMemory>; steps?: StepMemory }

/** The retrieval memory of `parts`, from `shared` when one with the same number of neighbours is there. */
function retrievalOf(parts: ModelParts, shared: SharedIndexes): RetrievalMemory {
  const k = parts.config.memoryK;
  let memory = shared.retrieval.get(k);
  if (!memory) shared.retrieval.set(k, (memory = new RetrievalMemory(parts.memory, parts.catalog, k)));
  return memory;
}

/**
 * Binds parts into a planner: compiles the inference network for the catalog and exposes `plan`.
 * `shared` lends it the memory indexes of models with the same memory and catalog (see `SharedIndexes`).
 *
 * @example
 * const model = buildModel(parts); model.plan('cancel my 8am alarm')
 */
export function buildModel(parts: ModelParts, shared: SharedIndexes = { retrieval: new Map() }): PlannerModel {
  const graph = toolGraph(parts.catalog);
  const toolFeatures = parts.catalog.tools.map((t) => featurize(toolText(t), parts.config.features, parts.idf));
  const index = wordVectorIndex(parts);
  const vecWeight = wordIdf(parts.idf, parts.config.features);
  const net = new CompiledNetwork(parts.config, parts.weights, toolFeatures, graph, index && { index, toolMixes: parts.catalog.tools.map((t) => index.textMix(toolText(t), vecWeight)) });
  const retrieval = parts.config.retrieval ? retrievalOf(parts, shared) : undefined;
  // Only a model that can weigh clauses (a sub-task-text head) has use for past sub-tasks.
  const steps = parts.config.stepTextHead && parts.memory.steps?.some((s) => s.length > 0) ? (shared.steps ??= new StepMemory(parts.memory, parts.catalog)) : undefined;
  const [wNext, wSet] = parts.weights.retrievalW?.data ?? [0, 0];
  const model: PlannerModel = {
    ...parts,
    fingerprint: catalogFingerprint(parts.catalog),
    graph,
    net,
    retrieval,
    steps,
    scorer(instruction: string, stopOffset = model.decode.stopOffset ?? 0, shared: SharedInputs = {}): StepScorer {
      const { ctx, set } = net.encodeAll(shared.x ?? featurize(instruction, parts.config.features, parts.idf), index?.textMix(instruction, vecWeight));
      const neigh = retrieval ? shared.neighbours ?? retrieval.neighbours(instruction) : undefined;
      const att = parts.config.attention ? net.encodeTokens(
        shared.tokens ?? tokenFeatures(instruction, parts.config.features, parts.idf, parts.config.maxTokens, parts.config.tokenContext ?? false),
        index?.tokenRows(instruction, parts.config.maxTokens),
      ) : undefined;
      let cf: ClauseFeatures | undefined, clauses: Float32Array[] | undefined, priors: (Float32Array | undefined)[] | undefined;
      const clauseInputs = () => (cf ??= shared.clauses?.() ?? clauseFeatures(instruction, parts.config.features, parts.idf));
      return {
        nTools: net.N,
        stepLogits: (prefix, candidates) => {
          const logits = net.stepLogits(ctx, prefix, att, set, candidates);
          logits[net.N] += stopOffset;
          if (retrieval && neigh) {
            const { next, set } = retrieval.priors(neigh, prefix, net.N);
            for (let j = 0; j <= net.N; j++) logits[j] += wNext * next[j] + wSet * set[j];
          }
          return logits;
        },
        dependencyProb: (s, i, t, j) => net.dependencyProb(s, i, t, j),
        clauseProbs: parts.config.stepTextHead ? () => {
          if (clauses) return clauses;
          const cs = clauseInputs();
          return (clauses = cs.x.map((x, i) => net.stepTextProbs(x, index?.textMix(cs.texts[i], vecWeight))));
        } : undefined,
        clausePriors: steps ? () => (priors ??= clauseInputs().texts.map((t) => steps.workers(t))) : undefined,
      };
    },
    plan(instruction: string, overrides?: Partial<DecodeOptions>): Plan {
      checkInstruction(instruction);
      const o = { ...model.decode, ...overrides };
      // A catalog without links gives no graph to constrain to.
      if (graph.linkCount === 0) o.constrainToGraph = false;
      const decoded = beamDecode(model.scorer(instruction, o.stopOffset ?? 0), graph.succ, o);
      return decodedPlan(instruction, o.linkByType ? relinkedByType(decoded, model.catalog) : decoded, graph, model.threshold);
    },
  };
  return model;
}
