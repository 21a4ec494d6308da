/**
 * MCP tool names are free text (`getWeather`, `files/read`, `Search Docs`); worker names must match
 * `[a-z0-9][a-z0-9._-]*` (worker.ts). The mapping is kept, so a step names its worker and the
 * worker still calls the tool by its own name. Here, below both, because a server's workers
 * (workflows/mcp) and a saved `tools/list` read as a planner catalog (planner/tool-lists.ts) must
 * name each tool alike, or a model adapted over the file would not know the server's workers.
 */

/**
 * A worker-name form of a tool name: camelCase split with hyphens, lower-cased, every other
 * character run replaced by one hyphen; `prefix` (itself cleaned) joined with a dot.
 *
 * @example
 * workerNameOf('getWeather', 'wx') // 'wx.get-weather'
 * workerNameOf('files/read') // 'files-read'
 */
export function workerNameOf(toolName: string, prefix?: string): string {
  const base = clean(toolName) || 'tool';
  const pre = prefix === undefined ? '' : clean(prefix);
  return pre ? `${pre}.${base}` : base;
}

function clean(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

/**
 * Worker names for a server's tools, in order, made unique with `-2`, `-3`, ... when two tools
 * clean to the same name. Returns worker name -> tool name.
 *
 * @example
 * workerNames(['read', 'Read'], 'fs') // Map { 'fs.read' => 'read', 'fs.read-2' => 'Read' }
 */
export function workerNames(toolNames: readonly string[], prefix?: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const tool of toolNames) {
    const base = workerNameOf(tool, prefix);
    let name = base;
    for (let k = 2; map.has(name); k++) name = `${base}-${k}`;
    map.set(name, tool);
  }
  return map;
}
