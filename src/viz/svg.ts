import { FONT, layoutMachine, type ChartLayout, type Point } from './layout.ts';
import type { TransitionKind } from './chart.ts';

/**
 * Writes a laid-out statechart as one standalone SVG string: no fonts, images or scripts from
 * outside, so the same text works as a file, inline in the viewer page, and in a README.
 * Every state is a `<g class="state" data-path="...">` so the page can light up active
 * states by path without re-rendering.
 */

export interface SvgOptions {
  /** Active state paths (relative like `fetch.running` or full like `m.fetch.running`); drawn lit up. */
  active?: readonly string[];
  /** Prefix for marker ids so several charts can live in one HTML page. */
  idPrefix?: string;
  title?: string;
}

/**
 * Escapes text for SVG/HTML content and attribute values.
 *
 * @example
 * escapeXml('a<b & "c"'); // 'a&lt;b &amp; &quot;c&quot;'
 */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const COLORS: Record<TransitionKind, string> = { success: '#2b8a3e', failure: '#c92a2a', timer: '#1864ab', always: '#495057' };

const n = (v: number) => Math.round(v * 10) / 10;

function pathD(points: Point[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)},${n(p.y)}`).join(' ');
}

/**
 * Paths lit by a set of active leaves: the leaves themselves and all their ancestors,
 * matched on full or root-relative paths.
 *
 * @example
 * litPaths(layout, ['fetch.running']); // Set { 'm', 'm.fetch', 'm.fetch.running' }
 */
export function litPaths(layout: ChartLayout, active: readonly string[]): Set<string> {
  const lit = new Set<string>();
  const rel = new Map(layout.chart.states.map((s) => [s.relPath, s.path]));
  const full = new Set(layout.chart.states.map((s) => s.path));
  for (const a of active) {
    const path = full.has(a) ? a : rel.get(a);
    if (!path) continue;
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) lit.add(parts.slice(0, i).join('.'));
  }
  return lit;
}

/**
 * Renders a layout as an SVG document string.
 *
 * @example
 * const svg = svgFromLayout(await layoutMachine(config), { active: ['fetch.running'] });
 */
export function svgFromLayout(layout: ChartLayout, options: SvgOptions = {}): string {
  const p = options.idPrefix ?? 'oa';
  const lit = litPaths(layout, options.active ?? []);
  const leaves = new Set((options.active ?? []).map((a) => layout.chart.states.find((s) => s.path === a || s.relPath === a)?.path).filter(Boolean));
  const W = layout.width + 2;
  const H = layout.height + 2;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="oa-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family='${FONT.family}' font-size="${FONT.size}" data-machine="${escapeXml(layout.chart.id)}">`,
  );
  out.push(`<title>${escapeXml(options.title ?? `statechart ${layout.chart.id}`)}</title>`);
  out.push('<defs>');
  for (const [kind, color] of Object.entries(COLORS)) {
    out.push(`<marker id="${p}-arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`);
  }
  out.push(`<marker id="${p}-arrow-initial" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#212529"/></marker>`);
  out.push('</defs>');
  out.push(`<style>
.oa-chart .state > .box { fill: #ffffff; stroke: #868e96; stroke-width: 1.2; }
.oa-chart .state.kind-root > .box { fill: #f8f9fa; stroke: #495057; }
.oa-chart .state.kind-compound > .box, .oa-chart .state.kind-parallel > .box { fill: #f1f3f5; }
.oa-chart .state.region > .box { fill: #fbfcfd; stroke-dasharray: 6 4; }
.oa-chart .state.kind-final > .box, .oa-chart .state.kind-final > .inner { stroke: #2b8a3e; }
.oa-chart .state.failed-final > .box, .oa-chart .state.failed-final > .inner { stroke: #c92a2a; }
.oa-chart .state > .inner { fill: none; stroke-width: 1.2; }
.oa-chart .state .name { font-weight: 600; fill: #212529; }
.oa-chart .state .action { font-size: ${FONT.small}px; fill: #6c757d; }
.oa-chart .state.lit > .box { stroke: #e67700; stroke-width: 2; }
.oa-chart .state.active > .box { stroke: #e67700; stroke-width: 3; fill: #ffe066; }
.oa-chart .edge { fill: none; stroke-width: 1.4; }
.oa-chart .edge.success { stroke: ${COLORS.success}; }
.oa-chart .edge.failure { stroke: ${COLORS.failure}; stroke-dasharray: 5 3; }
.oa-chart .edge.timer { stroke: ${COLORS.timer}; stroke-dasharray: 2 3; }
.oa-chart .edge.always { stroke: ${COLORS.always}; }
.oa-chart .elabel rect { fill: #ffffff; fill-opacity: 0.88; }
.oa-chart .elabel text { font-size: ${FONT.small}px; }
.oa-chart .elabel.success text { fill: ${COLORS.success}; }
.oa-chart .elabel.failure text { fill: ${COLORS.failure}; }
.oa-chart .elabel.timer text { fill: ${COLORS.timer}; }
.oa-chart .elabel.always text { fill: ${COLORS.always}; }
</style>`);

  for (const s of layout.states) {
    const st = s.state;
    const cls = ['state', `kind-${st.kind}`];
    if (st.region) cls.push('region');
    if (st.failedFinal) cls.push('failed-final');
    if (lit.has(st.path)) cls.push(leaves.has(st.path) ? 'active' : 'lit');
    const compound = st.kind === 'root' || st.kind === 'compound' || st.kind === 'parallel';
    out.push(`<g class="${cls.join(' ')}" data-path="${escapeXml(st.relPath)}" data-full="${escapeXml(st.path)}" data-kind="${st.kind}">`);
    out.push(`<title>${escapeXml(st.relPath || st.path)}${st.entry.length ? ` — entry: ${escapeXml(st.entry.join(', '))}` : ''}</title>`);
    out.push(`<rect class="box" x="${n(s.x)}" y="${n(s.y)}" width="${n(s.width)}" height="${n(s.height)}" rx="${compound ? 8 : 6}"/>`);
    if (st.kind === 'final') {
      out.push(`<rect class="inner" x="${n(s.x + 3)}" y="${n(s.y + 3)}" width="${n(s.width - 6)}" height="${n(s.height - 6)}" rx="4"/>`);
    }
    if (compound) {
      const name = st.kind === 'parallel' ? `${st.key}  ∥ parallel` : st.key;
      out.push(`<text class="name" x="${n(s.x + 10)}" y="${n(s.y + 17)}">${escapeXml(name)}</text>`);
      if (st.entry.length) out.push(`<text class="action" x="${n(s.x + 10)}" y="${n(s.y + 29)}">${escapeXml(st.entry.join(', '))}</text>`);
    } else {
      s.lines.forEach((line, i) => {
        const y = s.y + 7 + 15 * i + 11;
        out.push(`<text class="${i === 0 ? 'name' : 'action'}" x="${n(s.x + s.width / 2)}" y="${n(y)}" text-anchor="middle">${escapeXml(line)}</text>`);
      });
    }
    out.push('</g>');
  }

  for (const init of layout.initials) {
    out.push(`<g class="initial" data-parent="${escapeXml(init.parent)}"><circle cx="${n(init.dot.x + init.dot.width / 2)}" cy="${n(init.dot.y + init.dot.height / 2)}" r="4.5" fill="#212529"/>`);
    if (init.path.length) out.push(`<path d="${pathD(init.path)}" fill="none" stroke="#212529" stroke-width="1.2" marker-end="url(#${p}-arrow-initial)"/>`);
    out.push('</g>');
  }

  for (const e of layout.transitions) {
    const t = e.transition;
    out.push(`<g class="transition ${t.kind}" data-id="${t.id}" data-source="${escapeXml(t.source)}" data-event="${escapeXml(t.event)}">`);
    out.push(`<title>${escapeXml(`${t.source} → ${t.targets.join(', ') || '(self)'}: ${t.label}`)}</title>`);
    for (const pts of e.paths) {
      if (pts.length) out.push(`<path class="edge ${t.kind}" d="${pathD(pts)}" marker-end="url(#${p}-arrow-${t.kind})"/>`);
    }
    if (e.labelBox) {
      const b = e.labelBox;
      out.push(`<g class="elabel ${t.kind}"><rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="2"/><text x="${n(b.x + 3)}" y="${n(b.y + b.height - 3.5)}">${escapeXml(t.label)}</text></g>`);
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

/**
 * Lays out and renders a plain-JSON XState machine config as a standalone SVG
 * (what `orchestai export <workflow> --format svg` writes).
 *
 * @example
 * import { compileWorkflow } from '../../machines/index.ts';
 * const svg = await renderWorkflowSvg(compileWorkflow(workflow).config);
 * fs.writeFileSync('workflow.svg', svg);
 */
export async function renderWorkflowSvg(config: unknown, options: SvgOptions = {}): Promise<string> {
  return svgFromLayout(await layoutMachine(config), options);
}
