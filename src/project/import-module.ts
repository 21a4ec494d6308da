import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * tsx's programmatic loader, imported on first use: a program that never loads a TypeScript
 * module of the user's does not pay for it. Dynamic, so it resolves to tsx's ESM build even where
 * this file itself was compiled to CommonJS (tsx's CJS build of tsImport cannot load its ESM half).
 */
const loadTsx = () => import('tsx/esm/api');

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
    const mod = TYPESCRIPT.test(file) ? await (await loadTsx()).tsImport(url, import.meta.url) : await import(url);
    return esModuleOf(mod);
  } catch (e) {
    const err = e as Error;
    throw new ModuleLoadError(file, `${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${firstLine(err.message)}`);
  }
}

const firstLine = (s: unknown) => String(s ?? '').split('\n')[0];

/**
 * A TypeScript file in a project without `"type": "module"` is compiled to CommonJS, and importing
 * it wraps its exports once more (`{ default: { __esModule: true, default, ...named } }`). Unwrap,
 * so `export default` means the same in both kinds of project.
 */
function esModuleOf(mod: Record<string, unknown>): Record<string, unknown> {
  const inner = mod.default as Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' && inner.__esModule === true ? inner : mod;
}
