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
  const W = 560, H = 380, L = 60, R = 20, T = 40, B = 50;
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
    ...Object.entries(results).map(([name, r], i) => {
      const color = name === 'ppo' ? '#d62728' : name === 'oracle' ? '#2ca02c' : '#1f77b4';
      return `<circle cx="${x(r.cost)}" cy="${y(r.success)}" r="5" fill="${color}"/><text x="${x(r.cost) + 8}" y="${y(r.success) + (i % 2 ? 12 : -6)}">${esc(name)}</text>`;
    }),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}
