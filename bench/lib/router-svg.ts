import type { PolicyResult } from './router-harness.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A cost-versus-success scatter plot, one labelled point per policy (cost on x from 0, success on y
 * from 0 to 1), as a standalone SVG.
 *
 * @example
 * fs.writeFileSync('router-published.svg', costSuccessSvg('published', results, 'US cents'));
 */
export function costSuccessSvg(title: string, results: Record<string, PolicyResult>, costUnit: string): string {
  const W = 620, H = 380, L = 60, R = 90, T = 40, B = 50;
  const maxCost = Math.max(...Object.values(results).map((r) => r.cost)) * 1.1 || 1;
  const x = (c: number) => L + (c / maxCost) * (W - L - R);
  const y = (s: number) => H - B - s * (H - T - B);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(`bench:router, scenario ${title}: held-out success vs cost per run`)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    ...ticks.map((t) => `<text x="${L - 6}" y="${y(t) + 4}" text-anchor="end">${t.toFixed(2)}</text><line x1="${L}" y1="${y(t)}" x2="${W - R}" y2="${y(t)}" stroke="#eee"/>`),
    ...ticks.map((t) => `<text x="${x(t * maxCost)}" y="${H - B + 16}" text-anchor="middle">${(t * maxCost).toPrecision(3)}</text>`),
    `<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${esc(`mean cost per run (${costUnit})`)}</text>`,
    `<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">run success rate</text>`,
    ...Object.entries(results).map(([name, r]) => {
      const color = name === 'ppo' ? '#d62728' : name === 'oracle' ? '#2ca02c' : '#1f77b4';
      return `<circle cx="${x(r.cost)}" cy="${y(r.success)}" r="5" fill="${color}"/>`;
    }),
    ...placeLabels(Object.entries(results).map(([name, r]) => ({ name, x: x(r.cost), y: y(r.success) })), W - R),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

/**
 * Labels beside their points, moved down a line while they would overlap one already placed
 * (policies often land on the same spot: the cascade and PPO do), and to the left of the point
 * near the right edge.
 */
function placeLabels(points: { name: string; x: number; y: number }[], right: number): string[] {
  const placed: { x0: number; x1: number; y: number }[] = [];
  const width = (t: string) => t.length * 7;
  return [...points].sort((a, b) => a.x - b.x).map((p) => {
    const w = width(p.name);
    const x0 = p.x + 8 + w > right ? p.x - 8 - w : p.x + 8;
    let y = p.y - 6;
    while (placed.some((q) => x0 < q.x1 && q.x0 < x0 + w && Math.abs(q.y - y) < 13)) y += 14;
    placed.push({ x0, x1: x0 + w, y });
    // A label pushed away from its point gets a thin leader line back to it.
    const leader = y - (p.y - 6) > 14 ? `<line x1="${p.x}" y1="${p.y}" x2="${x0 < p.x ? x0 + w : x0}" y2="${(y - 4).toFixed(1)}" stroke="#999" stroke-width="0.7"/>` : '';
    return `${leader}<text x="${x0.toFixed(1)}" y="${y.toFixed(1)}">${esc(p.name)}</text>`;
  });
}
