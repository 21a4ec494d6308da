/**
 * The files the page loads, shipped in `src/ui/assets/` (the build copies that folder next to
 * the compiled server, so these URLs hold in `dist/` too). Only these two are served, not the
 * whole folder, so nothing else that lands there is exposed.
 */

export interface AssetFile {
  url: URL;
  contentType: string;
}

/**
 * The viewer's assets by file name, as served under `/assets/<name>`.
 *
 * @example
 * fs.readFileSync(ASSET_FILES['app.js'].url, 'utf8');
 */
export const ASSET_FILES: Record<string, AssetFile> = {
  'app.js': { url: new URL('./assets/app.js', import.meta.url), contentType: 'text/javascript; charset=utf-8' },
  'app.css': { url: new URL('./assets/app.css', import.meta.url), contentType: 'text/css; charset=utf-8' },
};
