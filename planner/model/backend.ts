import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

let ready: Promise<typeof tf> | undefined;

/**
 * Initialises tfjs on the wasm backend once per process. In Node the .wasm binaries ship inside the
 * npm package, so we point tfjs at that folder instead of letting it try a URL (no network, ever).
 *
 * @example
 * const tf = await initTf(); tf.getBackend() // 'wasm'
 */
export function initTf(): Promise<typeof tf> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(dir + '/');
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error(`tfjs: could not initialise the wasm backend from ${dir}`);
    await tf.ready();
    return tf;
  })();
  return ready;
}
