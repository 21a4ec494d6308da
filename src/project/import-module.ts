import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/** A user's module (a workflow or the project config) that could not be loaded; one line naming the file. */
export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError';
  constructor(readonly file: string, reason: string) {
    super(`cannot load ${file}: ${reason}`);
  }
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * Imports a module of the user's project by absolute path: JavaScript with Node's own loader,
 * TypeScript through tsx's scoped `tsImport` (a runtime dependency, so the published CLI loads
 * `.ts` files without a build step or a global loader). Only ever called with paths the user gave:
 * a command-line argument or an entry of their project config, never a path read from a history.
 *
 * @example
 * const mod = await importUserModule('/home/ana/app/flows/article.ts');
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  if (!path.isAbsolute(file)) throw new ModuleLoadError(file, 'not an absolute path');
  const url = pathToFileURL(file).href;
  try {
    return TYPESCRIPT.test(file) ? await tsImport(url, import.meta.url) : await import(url);
  } catch (e) {
    const err = e as Error;
    throw new ModuleLoadError(file, `${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${firstLine(err.message)}`);
  }
}

const firstLine = (s: unknown) => String(s ?? '').split('\n')[0];
