import type { CompiledWorkflow } from './compile.ts';

/**
 * Renders a compiled workflow's chart as a Mermaid `stateDiagram-v2`, with retry
 * bounds, loop bounds and delays on the edge labels.
 *
 * @example
 * console.log(toMermaid(compileWorkflow(wf)));
 */
export function toMermaid(compiled: Pick<CompiledWorkflow, 'config'>): string {
  const lines = ['stateDiagram-v2'];
  const name = (path: string[]) => path.join('__').replace(/[^A-Za-z0-9_]/g, '_');
  const resolve = (t: string, parentPath: string[]) => {
    if (t.startsWith('#')) {
      const parts = t.slice(1).split('.').slice(1);
      return name(parts);
    }
    return name([...parentPath, t]);
  };
  const label = (event: string, t: any) => {
    const bits = [event];
    const g = t.guard;
    if (g) bits.push(`[${g.type}${g.params?.maxAttempts ? ` < ${g.params.maxAttempts}` : ''}${g.params?.maxTimes ? ` x${g.params.maxTimes}` : ''}${g.params?.label ? ` ${g.params.label}` : ''}]`);
    return bits.join(' ').replace(/:/g, ' ');
  };
  const emitTransitions = (path: string[], parentPath: string[], node: any, indent: string) => {
    const from = name(path);
    const each = (event: string, spec: any) => {
      for (const t of Array.isArray(spec) ? spec : [spec]) {
        const tg = typeof t === 'string' ? t : t.target;
        if (tg) lines.push(`${indent}${from} --> ${resolve(tg, parentPath)} : ${label(event, typeof t === 'string' ? {} : t)}`);
      }
    };
    for (const [event, spec] of Object.entries<any>(node.on ?? {})) each(event, spec);
    for (const [delay, spec] of Object.entries<any>(node.after ?? {})) each(`after ${delay}`, spec);
    if (node.always) each('always', node.always);
    if (node.onDone) each('all done', node.onDone);
  };
  const emit = (key: string, node: any, parentPath: string[], indent: string) => {
    const path = [...parentPath, key];
    const id = name(path);
    const children = Object.entries<any>(node.states ?? {});
    if (children.length) {
      lines.push(`${indent}state "${key}" as ${id} {`);
      if (node.initial) lines.push(`${indent}  [*] --> ${name([...path, node.initial])}`);
      children.forEach(([k, child], i) => {
        if (node.type === 'parallel' && i > 0) lines.push(`${indent}  --`);
        emit(k, child, path, indent + '  ');
      });
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${key}" as ${id}`);
      if (node.type === 'final') lines.push(`${indent}${id} --> [*]`);
      const candidates = candidatesLine(node.meta);
      // Mermaid ends a state description at a second colon, so the line drops its own.
      if (candidates) lines.push(`${indent}${id} : ${candidates.replace(/:/g, '')}`);
    }
    emitTransitions(path, parentPath, node, indent);
  };
  const root = compiled.config;
  lines.push(`  [*] --> ${name([root.initial])}`);
  for (const [k, child] of Object.entries<any>(root.states)) emit(k, child, [], '  ');
  return lines.join('\n') + '\n';
}

/**
 * The line a chart shows under a routed step's running state, or undefined for other states.
 *
 * @example
 * candidatesLine({ candidates: ['small', 'large'], capability: 'summarise' }) // 'candidates: small | large'
 */
export function candidatesLine(meta: unknown): string | undefined {
  const names = (meta as { candidates?: unknown } | undefined)?.candidates;
  if (!Array.isArray(names) || names.length === 0) return undefined;
  return `candidates: ${names.map(String).join(' | ')}`;
}
