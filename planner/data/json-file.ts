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
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: malformed JSON (${(err as Error).message})`);
  }
}
