import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Where a run's artefacts go: the given `outDir`, else `<store root>/artifacts/<runId>/`,
 * the store root being `$ORCHESTAI_HOME` or `.orchestai/` in the working directory (the
 * same root the hub keeps histories in, so a run's files sit next to its history).
 *
 * @example
 * artifactDir('run-1') // '/cwd/.orchestai/artifacts/run-1' when ORCHESTAI_HOME is unset
 */
export function artifactDir(runId: string, outDir?: string): string {
  if (outDir !== undefined && outDir.trim() !== '') return resolve(outDir);
  return resolve(process.env.ORCHESTAI_HOME || '.orchestai', 'artifacts', runId.replace(/[^\w.-]/g, '_'));
}

/**
 * Writes `text` to `dir/name`, creating folders. `name` must stay inside `dir`
 * (no absolute paths, no `..`), since names may come from another worker's output.
 *
 * @example
 * await writeArtifact('/tmp/out', 'deck.md', '# Hi') // { path: '/tmp/out/deck.md', bytes: 4 }
 */
export async function writeArtifact(dir: string, name: string, text: string): Promise<{ path: string; bytes: number }> {
  const path = resolve(dir, name);
  const rel = relative(dir, path);
  if (isAbsolute(name) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`file name ${JSON.stringify(name)} escapes the output folder ${dir}`);
  }
  await mkdir(dirname(path), { recursive: true });
  const data = Buffer.from(text, 'utf8');
  await writeFile(path, data);
  return { path: join(dir, rel), bytes: data.length };
}
