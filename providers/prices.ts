import type { Price } from './config.ts';

/**
 * What tokens cost, so a worker's usage becomes the step's cost in USD. List prices change: the
 * table is a starting point, and a project config's `prices` adds models or corrects these.
 */

/**
 * USD per million input and output tokens of a few hosted models (list prices at the time of
 * writing). A dated variant (`gpt-4o-mini-2024-07-18`) takes its family's price.
 */
export const DEFAULT_PRICES: Readonly<Record<string, Price>> = Object.freeze({
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-opus-4': { input: 15, output: 75 },
});

/** Tokens a call used, as the provider reported them (0 when it reported none). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * The price of `model`: an exact entry, else the longest entry the id starts with followed by
 * `-` (so `gpt-4o-mini-2024-07-18` is `gpt-4o-mini`, not `gpt-4o`). `prices` win over the table.
 * Undefined for a model nobody priced.
 *
 * @example
 * priceOf('claude-sonnet-4-5-20250929') // { input: 3, output: 15 }
 */
export function priceOf(model: string, prices: Readonly<Record<string, Price>> = {}): Price | undefined {
  for (const table of [prices, DEFAULT_PRICES]) {
    if (Object.hasOwn(table, model)) return table[model];
  }
  let best: string | undefined;
  for (const table of [prices, DEFAULT_PRICES]) {
    for (const name of Object.keys(table)) {
      if (model.startsWith(name + '-') && (best === undefined || name.length > best.length)) best = name;
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

/**
 * The USD cost of a call, or null when the model has no price (its tokens are still reported).
 *
 * @example
 * costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, 'gpt-4o-mini') // 0.45
 */
export function costOf(usage: TokenUsage, model: string, prices?: Readonly<Record<string, Price>>): number | null {
  const price = priceOf(model, prices);
  if (!price) return null;
  // Rounded to a millionth of a cent: sums of float products otherwise print as 0.30000000000000004.
  return Math.round((usage.inputTokens * price.input + usage.outputTokens * price.output) * 1e2) / 1e8;
}
