import { INPUT_EVENTS, type HistoryEvent } from './events.ts';

const TYPES = new Set(['run.started', 'step.started', 'timer.set', 'timer.cancelled', 'transition', 'run.finished', ...INPUT_EVENTS]);

/** A history line that cannot be read; names the file and the 1-based line. */
export class HistoryParseError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'HistoryParseError';
  }
}

/**
 * Parses JSONL history text. A last line that is cut short (no newline and not valid
 * JSON: the process died mid-write) is dropped with a warning; any other bad line is
 * an error naming its line. Checks are structural (type, seq order) rather than a
 * full schema pass, so replay stays fast on long histories.
 *
 * @example
 * parseHistory(fs.readFileSync(file, 'utf8'), file).events
 */
export function parseHistory(text: string, file: string, onWarning?: (m: string) => void): { events: HistoryEvent[]; validBytes: number } {
  const events: HistoryEvent[] = [];
  let pos = 0;
  let line = 0;
  let validBytes = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const raw = text.slice(pos, end);
    line++;
    pos = end + 1;
    if (raw.trim() === '') {
      if (nl !== -1) validBytes = pos;
      continue;
    }
    let event: any;
    try {
      event = JSON.parse(raw);
    } catch (e) {
      if (nl === -1) {
        onWarning?.(`${file}:${line}: ignoring a truncated last line (${raw.length} bytes): the writer was interrupted`);
        break;
      }
      throw new HistoryParseError(file, line, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof event !== 'object' || event === null || !TYPES.has(event.type)) throw new HistoryParseError(file, line, `unknown event type ${JSON.stringify(event?.type)}`);
    if (event.seq !== events.length + 1) throw new HistoryParseError(file, line, `expected seq ${events.length + 1}, found ${JSON.stringify(event.seq)}`);
    if (typeof event.t !== 'number') throw new HistoryParseError(file, line, 'missing time t');
    if (events.length === 0 && event.type !== 'run.started') throw new HistoryParseError(file, line, 'a history must begin with run.started');
    events.push(event);
    validBytes = nl === -1 ? text.length : pos;
  }
  return { events, validBytes };
}
