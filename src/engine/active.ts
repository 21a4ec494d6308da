/**
 * The active leaf states of a snapshot value as dotted paths, e.g.
 * `{ dag: { a: 'done', b: 'running' } }` -> `['dag.a.done', 'dag.b.running']`.
 * History records transitions in this form: short, stable and easy to compare.
 *
 * @example
 * activePaths({ coder: 'running' }) // ['coder.running']
 */
export function activePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push(...activePaths(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

/**
 * Whether two active-state lists are the same, in order.
 *
 * @example
 * samePaths(['a.running'], ['a.running']) // true
 */
export function samePaths(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
