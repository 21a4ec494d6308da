import net from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import type { InspectionEvent } from 'xstate';

/**
 * Wires runs to the Stately inspector (`orchestai run ... --inspect`). The engine emits XState
 * `InspectionEvent`s (`@xstate.actor`, `@xstate.event`, `@xstate.snapshot`); this hands them to
 * `@statelyai/inspect`'s WebSocket inspector, which sends them to the package's local bridge
 * server. The bridge page embeds stately.ai/inspect, so *viewing* needs the internet; for an
 * offline view use `orchestai ui`.
 */

export interface StatelyInspector {
  /** Pass as `run(workflow, input, { inspect })`. */
  inspect: (event: InspectionEvent) => void;
  /** Open this in a browser to watch the machine in the Stately inspector. */
  url: string;
  /** The WebSocket the bridge listens on (the inspector client connects here). */
  wsUrl: string;
  /**
   * Resolves once every event so far has been handed to the bridge (true), or after
   * `timeoutMs` if the connection did not open (false). Call it before `stop()`: a short run
   * can finish before the inspector's WebSocket has even connected.
   */
  flush(timeoutMs?: number): Promise<boolean>;
  stop(): void;
}

export interface StatelyInspectorOptions {
  /** Bridge port; default: a free one. */
  port?: number;
  /** Open the bridge page in the default browser. Default false (the CLI prints the URL). */
  autoOpen?: boolean;
  /** Stately inspector page the bridge embeds; default https://stately.ai/inspect. */
  inspectorUrl?: string;
}

/**
 * A free TCP port on loopback (the bridge server takes a fixed port, not 0).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the Stately inspector bridge and a WebSocket inspector connected to it.
 *
 * @example
 * const inspector = await createStatelyInspector();
 * console.log(`inspect at ${inspector.url}`);
 * await run(workflow, input, { inspect: inspector.inspect });
 * inspector.stop();
 */
export async function createStatelyInspector(options: StatelyInspectorOptions = {}): Promise<StatelyInspector> {
  const port = options.port ?? (await freePort());
  const server = createInspectorServer({ port, autoOpen: options.autoOpen ?? false, ...(options.inspectorUrl ? { url: options.inspectorUrl } : {}) });
  const wsUrl = `ws://localhost:${port}`;
  const inspector = createWebSocketInspector({ url: wsUrl });
  let stopped = false;
  return {
    inspect: (event) => {
      if (!stopped) inspector.inspect.next?.(event);
    },
    url: `http://localhost:${port}`,
    wsUrl,
    async flush(timeoutMs = 3000) {
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await sleep(0); // the package converts events on an idle callback (a 0 ms timer in Node)
      await sleep(0);
      // WebSocketAdapter keeps `status` and `ws` as (TypeScript-)private fields; read them defensively.
      const adapter = inspector.adapter as unknown as { status?: string; ws?: { bufferedAmount?: number } };
      const deadline = Date.now() + timeoutMs;
      while (adapter.status !== 'open' && Date.now() < deadline) await sleep(10);
      while ((adapter.ws?.bufferedAmount ?? 0) > 0 && Date.now() < deadline) await sleep(10);
      return adapter.status === 'open';
    },
    stop() {
      if (stopped) return;
      stopped = true;
      inspector.stop();
      server.stop();
    },
  };
}
