import type { Client, Notification } from 'pg';

type Handler = (payload: string) => void;

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * One dedicated connection per store that LISTENs on the store's channels and hands each
 * notification to the handlers of its channel. Connected on first use. When the connection drops
 * it reconnects (with backoff), LISTENs again and calls every `onResync` handler: notifications
 * sent while it was away are lost, so followers and watchers read again what they may have missed.
 *
 * @example
 * const listener = new Listener(() => new pg.Client(url), ['orchestai_events']);
 * const off = listener.on('orchestai_events', (payload) => console.log(payload));
 * await listener.ready();
 */
export class Listener {
  private client?: Client;
  private connecting?: Promise<void>;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly resyncs = new Set<() => void>();
  private retryMs = RETRY_MIN_MS;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly newClient: () => Client,
    private readonly channels: readonly string[],
  ) {}

  /** Calls `handler` with the payload of each notification on `channel`; returns the unsubscribe. */
  on(channel: string, handler: Handler): () => void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    void this.ready().catch(() => undefined); // a failure is retried; ready() callers see it
    return () => set.delete(handler);
  }

  /** Calls `handler` after each reconnection (not the first connection); returns the unsubscribe. */
  onResync(handler: () => void): () => void {
    this.resyncs.add(handler);
    return () => this.resyncs.delete(handler);
  }

  /** Resolves once the connection LISTENs on every channel. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = this.newClient();
    client.on('notification', (n: Notification) => this.dispatch(n));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN "${channel}"`);
    } catch (e) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      this.scheduleRetry();
      throw new Error(`cannot LISTEN for notifications: ${(e as Error).message}`);
    }
    if (this.closed) return void (await client.end().catch(() => undefined));
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
  }

  private dispatch(n: Notification): void {
    for (const handler of [...(this.handlers.get(n.channel) ?? [])]) handler(n.payload ?? '');
  }

  /** The connection dropped: reconnect, then let everyone catch up. */
  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.on('error', () => undefined);
    if (!this.closed) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed || this.client) return;
      this.ready().then(
        () => this.resyncs.forEach((resync) => resync()),
        () => undefined,
      );
    }, wait);
    this.retryTimer.unref();
  }
}
