import ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { FONT, textWidth } from './layout.ts';
import { escapeXml } from './svg.ts';

// elkjs is CommonJS: under NodeNext its default import is the module object, whose `default` is the class.
const ELK: typeof import('elkjs/lib/elk-api.js').default = (ElkModule as any).default ?? ElkModule;

/** A node of a plan DAG: an id, what it runs, and what it waits for. */
export interface DagNode {
  id: string;
  label: string;
  dependsOn: readonly string[];
  /** 0..1, shown as a small bar when present. */
  confidence?: number;
}

/**
 * Draws a DAG (a planner's plan) as a standalone SVG: layered left to right, one box per node,
 * one arrow per dependency.
 *
 * @example
 * await renderDagSvg([{ id: 'n1', label: 'read-file', dependsOn: [] }, { id: 'n2', label: 'summarise', dependsOn: ['n1'] }]);
 */
export async function renderDagSvg(nodes: readonly DagNode[], options: { title?: string } = {}): Promise<string> {
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) for (const d of n.dependsOn) if (!ids.has(d)) throw new Error(`plan node ${JSON.stringify(n.id)}: dependsOn names unknown node ${JSON.stringify(d)}`);
  const input: ElkNode = {
    id: 'dag',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.edgeRouting': 'ORTHOGONAL', 'elk.layered.spacing.nodeNodeBetweenLayers': '40', 'elk.padding': '[top=10,left=10,bottom=10,right=10]' },
    children: nodes.map((n) => ({ id: n.id, width: Math.max(textWidth(n.label) + 24, textWidth(n.id, true) + 16, 70), height: 40 })),
    edges: nodes.flatMap((n) => n.dependsOn.map((d, i) => ({ id: `${n.id}::${i}`, sources: [d], targets: [n.id] }))),
  };
  const graph: ElkNode = await new ELK().layout(input);
  const r = (v: number | undefined) => Math.round((v ?? 0) * 10) / 10;
  const W = Math.ceil(graph.width ?? 0);
  const H = Math.ceil(graph.height ?? 0);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="oa-dag" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family='${FONT.family}' font-size="${FONT.size}">`,
    `<title>${escapeXml(options.title ?? 'plan')}</title>`,
    `<defs><marker id="dag-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#495057"/></marker></defs>`,
  ];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const c of graph.children ?? []) {
    const n = byId.get(c.id)!;
    out.push(`<g class="dag-node" data-id="${escapeXml(n.id)}"><rect x="${r(c.x)}" y="${r(c.y)}" width="${r(c.width)}" height="${r(c.height)}" rx="6" fill="#e7f5ff" stroke="#1c7ed6"/>`);
    out.push(`<text x="${r((c.x ?? 0) + (c.width ?? 0) / 2)}" y="${r((c.y ?? 0) + 17)}" text-anchor="middle" font-weight="600">${escapeXml(n.label)}</text>`);
    out.push(`<text x="${r((c.x ?? 0) + (c.width ?? 0) / 2)}" y="${r((c.y ?? 0) + 32)}" text-anchor="middle" font-size="${FONT.small}" fill="#495057">${escapeXml(n.id)}${n.confidence !== undefined ? ` · ${Math.round(n.confidence * 100)}%` : ''}</text></g>`);
  }
  for (const e of graph.edges ?? []) {
    const s = e.sections?.[0];
    if (!s) continue;
    const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    out.push(`<path class="dag-edge" d="${pts.map((p, i) => `${i ? 'L' : 'M'}${r(p.x)},${r(p.y)}`).join(' ')}" fill="none" stroke="#495057" stroke-width="1.3" marker-end="url(#dag-arrow)"/>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
