// A scripted test model for the evaluation kit's round trip: an OpenAI-compatible server on
// 127.0.0.1 (node:http, started by the test) that answers /v1/models and /v1/chat/completions by a
// rule the test gives it. It serves a bounded number of requests, closes itself after a time limit,
// and never reaches beyond the loopback interface.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

export interface LoopbackModel {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export async function startLoopbackModel(
  answer: (req: ChatRequest) => string,
  options: { model?: string; maxRequests?: number; lifetimeMs?: number } = {},
): Promise<LoopbackModel> {
  const model = options.model ?? 'test-model';
  const maxRequests = options.maxRequests ?? 20_000;
  const state = { requests: 0 };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (++state.requests > maxRequests) return send(res, 503, { error: { message: 'the test model is over its request budget' } });
      if (req.method === 'GET' && req.url?.endsWith('/models')) return send(res, 200, { object: 'list', data: [{ id: model, object: 'model' }] });
      if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
        const text = answer(body);
        return send(res, 200, {
          id: `cmpl-${state.requests}`,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      }
      send(res, 404, { error: { message: 'not found' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  // closes itself even if a test forgets to
  const timer = setTimeout(() => void close(), options.lifetimeMs ?? 120_000);
  timer.unref();
  server.unref();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    close: async () => {
      clearTimeout(timer);
      server.closeAllConnections();
      await close();
    },
  };
}
