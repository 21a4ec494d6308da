import { join } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { artifactDir, writeArtifact } from '../lib/artifacts.ts';

/**
 * Writes a set of text files (name -> content) under one folder. Names are relative
 * paths and must stay inside the folder; they are written in sorted order so the
 * result is the same whatever order the producer listed them in.
 *
 * @example
 * await writeFilesWorker.run({ files: { 'index.html': '<!DOCTYPE html>...' } }, ctx)
 * // { paths: ['/cwd/.orchestai/artifacts/<runId>/site/index.html'], outDir: '/cwd/.orchestai/artifacts/<runId>/site' }
 */
export const writeFilesWorker = defineWorker({
  name: 'write-files',
  description: 'Writes a set of generated files (e.g. a website) to a folder on disk and returns the written paths and the folder.',
  input: z.object({
    files: z.record(z.string(), z.string()),
    outDir: z.string().optional(),
  }),
  output: z.object({ paths: z.array(z.string()), outDir: z.string() }),
  retry: { maxAttempts: 2, initialDelayMs: 100 },
  async run({ files, outDir }, ctx) {
    const names = Object.keys(files).sort();
    if (names.length === 0) throw new Error('write-files: `files` is empty; nothing to write');
    const dir = outDir !== undefined ? artifactDir(ctx.runId, outDir) : join(artifactDir(ctx.runId), 'site');
    const paths: string[] = [];
    for (const name of names) paths.push((await writeArtifact(dir, name, files[name])).path);
    return { paths, outDir: dir };
  },
});
