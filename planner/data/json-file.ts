import { readFileSync } from 'node:fs';

/**
 * A JSON file's value, or an error naming the file and what went wrong (unreadable or malformed):
 * the one-line error every reader of a saved model, calibration or data file gives.
 *
 * @example
 * readJsonFile('fixtures/planner/model/calibration.json').method // 'member-agreement'
 */
export function readJsonFile(file: string): any {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  try {
    return parseJsonText(text);
  } catch (err) {
    throw new Error(`${file}: malformed JSON (${(err as Error).message})`);
  }
}

/**
 * `JSON.parse` for the text of a file a person saved: a leading byte-order mark, which Windows
 * editors write and `JSON.parse` rejects as an unexpected token, is not part of the JSON.
 *
 * @example
 * parseJsonText('\uFEFF{"tools":[]}') // { tools: [] }
 */
export function parseJsonText(text: string): any {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
