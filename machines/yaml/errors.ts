/** A place in a workflow file: 1-based line and column. */
export interface SourcePosition {
  line: number;
  col: number;
}

/**
 * A workflow file that cannot be used. The message is one line, `file:line:column: problem`,
 * which editors and terminals turn into a link to the place.
 */
export class WorkflowFileError extends Error {
  override name = 'WorkflowFileError';
  constructor(
    readonly file: string,
    readonly position: SourcePosition,
    readonly problem: string,
  ) {
    super(`${file}:${position.line}:${position.col}: ${oneLine(problem)}`);
  }
}

/** Error texts from libraries can span lines (code frames); keep the first, trimmed. */
export const oneLine = (text: string) => text.split('\n')[0].trim();
