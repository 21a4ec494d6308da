import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Loopback servers that speak each provider's wire format, for the client's tests: OpenAI chat
 * completions (JSON, or `data:` chunks ending in `[DONE]` when the request streams), Anthropic
 * Messages (`/v1/messages`, JSON or `message_start` ... `message_stop` events; a forced `json` tool
 * answered with a `tool_use` block) and Ollama's OpenAI-compatible `/v1/chat/completions`.
 */

export type Wire = 'openai' | 'anthropic' | 'ollama';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** What the server does with one request: answer normally (`text`), fail, stall or hang. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A raw body for an error status; `{key}` is replaced by the key the request carried. */
  body?: string;
  /** The model's answer (default: `answer(request)`). */
  text?: string;
  /** Waits this long before answering (a slow server, for timeouts). */
  delayMs?: number;
  /** Never answers (for cancellation). */
  hang?: boolean;
  /** Anthropic streams only: starts the message, then sends an `error` event (overloaded). */
  overloadedMidStream?: boolean;
}

export interface Loopback {
  wire: Wire;
  /** The base URL to configure: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  seen: SeenRequest[];
  /** Requests whose connection closed before they were answered (cancelled by the client). */
  dropped: number;
  /** Resolves when the next request arrives. */
  nextRequest(): Promise<SeenRequest>;
  close(): Promise<void>;
}

export const USAGE = { input: 11, output: 7 };

/** The key a request carried, as a server that echoes it back would see it. */
export const keyOf = (h: IncomingHttpHeaders) => (h['x-api-key'] as string | undefined) ?? (h['api-key'] as string | undefined) ?? h.authorization?.replace(/^Bearer /, '') ?? '';

const sse = (res: ServerResponse, events: Array<{ event?: string; data: unknown }>) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
  res.end();
};

/** Splits a text in 3 pieces, so a stream really has several deltas to assemble. */
const pieces = (text: string) => {
  const a = Math.floor(text.length / 3);
  return [text.slice(0, a), text.slice(a, 2 * a), text.slice(2 * a)].filter((p) => p !== '');
};

function answerOpenAi(res: ServerResponse, body: any, text: string, wire: Wire) {
  const base = { id: 'chatcmpl-1', created: 1_700_000_000, model: body.model, ...(wire === 'ollama' ? { system_fingerprint: 'fp_ollama' } : {}) };
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output };
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }));
    return;
  }
  const chunk = (delta: object, finish: string | null) => ({ data: { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] } });
  sse(res, [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces(text).map((p) => chunk({ content: p }, null)),
    chunk({}, 'stop'),
    { data: { ...base, object: 'chat.completion.chunk', choices: [], usage } },
    { data: '[DONE]' },
  ]);
}

function answerAnthropic(res: ServerResponse, body: any, text: string) {
  // The SDK asks for structured output with a forced `json` tool on models without native support.
  const tool = body.tools?.find((t: any) => t.name === 'json');
  const message = { id: 'msg_1', type: 'message', role: 'assistant', model: body.model, stop_sequence: null };
  if (!body.stream) {
    const content = tool ? [{ type: 'tool_use', id: 'toolu_1', name: 'json', input: JSON.parse(text) }] : [{ type: 'text', text }];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...message, content, stop_reason: tool ? 'tool_use' : 'end_turn', usage: { input_tokens: USAGE.input, output_tokens: USAGE.output } }));
    return;
  }
  const block = tool ? { type: 'tool_use', id: 'toolu_1', name: 'json', input: {} } : { type: 'text', text: '' };
  const delta = (p: string) => (tool ? { type: 'input_json_delta', partial_json: p } : { type: 'text_delta', text: p });
  sse(res, [
    { event: 'message_start', data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: USAGE.input, output_tokens: 1 } } } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: block } },
    { event: 'ping', data: { type: 'ping' } },
    ...pieces(text).map((p) => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: delta(p) } })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: USAGE.output } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ]);
}

/** The path each wire format serves. */
const PATHS: Record<Wire, string> = { openai: '/v1/chat/completions', anthropic: '/v1/messages', ollama: '/v1/chat/completions' };

/**
 * A server on 127.0.0.1 speaking `wire`. `script(request, index)` decides each reply (default: a
 * normal answer); `answer(request)` is the model's text for normal answers.
 */
export async function startLoopback(wire: Wire, options: { script?: (req: SeenRequest, index: number) => Reply | undefined; answer?: (req: SeenRequest) => string } = {}): Promise<Loopback> {
  const seen: SeenRequest[] = [];
  const waiting: Array<(r: SeenRequest) => void> = [];
  const state = { dropped: 0 };
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
      const request: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data ? JSON.parse(data) : undefined };
      const index = seen.push(request) - 1;
      waiting.splice(0).forEach((w) => w(request));
      const reply = options.script?.(request, index) ?? {};
      let answered = false;
      res.on('close', () => {
        if (!answered) state.dropped++;
      });
      if (reply.hang) return;
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      answered = true;
      if (request.url.split('?')[0] !== PATHS[wire]) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
      } else if (reply.status && reply.status !== 200) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end((reply.body ?? '{"error":{"message":"failed"}}').replaceAll('{key}', keyOf(req.headers)));
      } else {
        const text = reply.text ?? options.answer?.(request) ?? 'Hello from the loopback.';
        if (reply.overloadedMidStream) {
          const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: request.body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } };
          return sse(res, [{ event: 'message_start', data: start }, { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]);
        }
        if (wire === 'anthropic') answerAnthropic(res, request.body, text);
        else answerOpenAi(res, request.body, text, wire);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    wire,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    seen,
    get dropped() {
      return state.dropped;
    },
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
