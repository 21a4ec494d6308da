/**
 * `--mcp "node server.mjs --root ./docs"` names a server the way a shell would: a command line.
 * It is split here, without a shell (nothing is expanded), so the server is spawned directly.
 */

/** A command line split into the program and its arguments. */
export interface McpCommand {
  command: string;
  args: string[];
}

/**
 * Splits a command line into command + args: whitespace separates words; '...' keeps its text
 * as is; "..." keeps its text with \" and \\ unescaped; a backslash outside quotes escapes the
 * next character. No variables, globs or pipes: the server is spawned without a shell.
 * An empty line or an unclosed quote is an error naming the column.
 *
 * @example
 * parseMcpCommand(`node "my server.mjs" --root './docs dir'`)
 * // { command: 'node', args: ['my server.mjs', '--root', './docs dir'] }
 */
export function parseMcpCommand(line: string): McpCommand {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  let quoteAt = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      quoteAt = i + 1;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else word = (word ?? '') + c;
  }
  if (quote) throw new Error(`MCP command: unclosed ${quote} opened at column ${quoteAt} of ${JSON.stringify(line)}`);
  if (word !== null) words.push(word);
  if (words.length === 0) throw new Error('MCP command is empty; give the server command line, e.g. "node server.mjs"');
  return { command: words[0], args: words.slice(1) };
}
