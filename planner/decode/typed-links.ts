import type { Catalog } from '../types.ts';
import { completeTyped, typedCatalog } from '../zero-shot/typed.ts';
import type { Decoded } from './beam.ts';

/**
 * A decoded plan re-linked by the catalog's types (see `DecodeOptions.linkByType`): the same steps,
 * ordered producers first (otherwise as decoded), each depending on the steps that feed it minus
 * those it reaches through another; nothing added. An untyped catalog, or a plan that repeats a tool
 * (types cannot say which of the two copies feeds what), is left as decoded.
 *
 * @example
 * relinkedByType(decoded, catalog) // csv-stats -> compose-report when no chart sits between them
 */
export function relinkedByType(decoded: Decoded, catalog: Catalog): Decoded {
  const typed = typedCatalog(catalog);
  const tools = decoded.nodes.map((n) => n.tool);
  if (!typed || new Set(tools).size !== tools.length) return decoded;
  // With the content given (`true`) nothing is added, so no similarity is read.
  const linked = completeTyped(typed, tools, [], true);
  const prob = new Map(decoded.nodes.map((n) => [n.tool, n.prob]));
  return { ...decoded, nodes: linked.tools.map((tool, j) => ({ tool, prob: prob.get(tool)!, deps: linked.dependsOn[j] })) };
}
