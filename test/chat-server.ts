// A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests: real HTTP (node:http),
// bounded in requests and lifetime, closing itself. Each safety example (keyed by the seed request in
// the prompt) gets a script: what to answer on its 1st, 2nd, … request (then `good`). Its own counters
// (requests seen, answered, held, hung up by the client) are what tests compare a run's counts with;
// nothing here depends on how long anything takes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Kind =
  | 'good' // a valid paraphrase: {"request": "zqpara <seed>", "refusal": "Zqdecline. <example refusal>"}
  | 'malformed' // JSON cut in the middle, finish_reason stop
  | 'skeleton' // valid JSON, wrong keys
  | 'norefusal' // the "refusal" complies
  | 'refused' // the model refuses the task
  | 'hang' // never answers: the request is held until the client hangs up (its timeout)
  | '429' // 429 with Retry-After
  | '500'
  | 'reset' // the connection is destroyed
  | 'truncated' // finish_reason length
  | 'echo'; // a 400 whose message echoes the Authorization header

export interface Received {
  method: string;
  path: string;
  authorization?: string;
  body: Record<string, unknown> | undefined;
  at: number;
  /** performance.now() when it arrived: the fake clock's time when a test fakes it. */
  clock: number;
  kind?: Kind;
  key?: string;
  /** The client closed the connection before any answer (it gave up on a held request). */
  hungUp?: boolean;
}

export interface ChatServerOptions {
  models?: string[];
  /** Headers of a 429: `retry-after` seconds, or `retry-after-ms`. */
  retryAfter?: { seconds?: number; ms?: number };
  /** Answer 400 "Unsupported parameter: 'seed'" to a request that has a seed. */
  rejectSeed?: boolean;
  /** Most requests served (then 503), and longest life in ms (then it closes itself). */
  maxRequests?: number;
  lifetimeMs?: number;
  /**
   * A translating model: a record the engine asks to be written in another language (its prompt says
   * "Write both the request and the refusal in …") gets the n-th of these texts (a `good` answer),
   * and a request to translate into English gets `english`. `wrongLanguage` answers such records in
   * English instead (the fallback path).
   */
  translator?: { requests: string[]; refusals: string[]; english: string; wrongLanguage?: boolean; trigger?: string };
  /**
   * A model that keeps the example as it is (no marks): a `good` answer is the seed request and the
   * example refusal unchanged, and, where the prompt asks for an earlier tool round ("before"), the
   * round this function writes from the prompt's text.
   */
  faithful?: { before?: (prompt: string) => unknown };
}

export const GOOD_REQUEST_MARK = 'zqpara';
export const GOOD_REFUSAL_MARK = 'Zqdecline.';

/** The seed request and example refusal the engine put in its prompt (the line after "The safety example to rewrite:"). */
export function exampleOf(body: Record<string, unknown> | undefined): { request: string; refusal: string } | undefined {
  const messages = (body?.messages ?? []) as { role: string; content: string }[];
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const m = /The safety example to rewrite:\n(.*)\n/.exec(user);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!) as { request: string; refusal: string };
  } catch {
    return undefined;
  }
}

export class ChatServer {
  readonly received: Received[] = [];
  private scripts = new Map<string, Kind[]>();
  private attempts = new Map<string, number>();
  private holdAfter = Infinity;
  private server!: Server;
  private readonly lifetime: NodeJS.Timeout;
  private readonly watchers = new Set<() => void>();
  url = '';
  closed = false;
  /** Chat requests being answered now, and the most at once (held requests not counted: when a client gives up on one is its own affair). */
  inFlight = 0;
  maxInFlight = 0;
  /** Chat requests finished with (an answer, an error status or a reset), and requests held now (`hang`, or past `holdAfter`). */
  answered = 0;
  held = 0;
  /** Records answered in the translator's language, and back-translations into English. */
  translated = 0;
  backTranslations = 0;

  constructor(private readonly options: ChatServerOptions = {}) {
    this.lifetime = setTimeout(() => void this.close(), options.lifetimeMs ?? 240_000);
    this.lifetime.unref();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  /**
   * New scripts, keyed by seed request; attempts, counters and the log start again. With `holdAfter`
   * n, the first n chat requests are answered by their scripts and every later one is held until its
   * client hangs up (a run stopped at a known point).
   */
  script(scripts: Map<string, Kind[]>, options: { holdAfter?: number } = {}): void {
    this.scripts = scripts;
    this.holdAfter = options.holdAfter ?? Infinity;
    this.attempts.clear();
    this.received.length = 0;
    this.maxInFlight = 0;
    this.answered = 0;
  }

  /** Resolves once `ready()` holds, checked after every request the server sees and every hang-up. */
  until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!ready()) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  private changed(): void {
    for (const w of [...this.watchers]) w();
  }

  chatRequests(): Received[] {
    return this.received.filter((r) => r.path.endsWith('/chat/completions'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lifetime);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const entry: Received = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body,
      at: Date.now(),
      clock: performance.now(),
    };
    if (this.received.length >= (this.options.maxRequests ?? 5000)) return json(res, 503, { error: { message: 'test server: request budget spent' } });
    this.received.push(entry);
    const path = (req.url ?? '').replace(/\?.*$/, '');
    if (req.method === 'GET' && path === '/v1/models')
      return json(res, 200, {
        object: 'list',
        data: (this.options.models ?? ['test-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
      });
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return json(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    const model = String(body?.model ?? '');
    if (!(this.options.models ?? ['test-model']).includes(model)) return json(res, 404, { error: { message: `The model ${model} does not exist` } });
    if (this.options.rejectSeed && body?.seed !== undefined)
      return json(res, 400, { error: { message: "Unsupported parameter: 'seed' is not supported with this model." } });
    const example = exampleOf(body);
    const key = example?.request ?? '';
    const n = this.attempts.get(key) ?? 0;
    this.attempts.set(key, n + 1);
    const kind: Kind = this.chatRequests().length > this.holdAfter ? 'hang' : (this.scripts.get(key)?.[n] ?? 'good');
    if (kind !== 'hang') {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    }
    let open = true;
    const done = () => {
      if (!open) return;
      open = false;
      if (kind === 'hang') {
        this.held--;
        entry.hungUp = true;
      } else {
        this.inFlight--;
        this.answered++;
      }
      this.changed();
    };
    // an answer is counted once it is written; a held request once its client hangs up
    res.on('finish', done);
    res.on('close', done);
    entry.kind = kind;
    entry.key = key;
    if (kind === 'hang') this.held++;
    this.changed();
    const messages = (body?.messages ?? []) as { role: string; content: string }[];
    const t = this.options.translator;
    const asked = t && messages.some((m) => m.content.includes(t.trigger ?? 'Write both the request and the refusal in'));
    const n2 = this.translated;
    if (t && asked && kind === 'good' && !t.wrongLanguage) this.translated++;
    const prompt = messages.find((m) => m.role === 'user')?.content ?? '';
    const f = this.options.faithful;
    const good = f
      ? JSON.stringify({
          ...(f.before && prompt.includes('"before"') ? { before: f.before(prompt) } : {}),
          request: example?.request ?? '',
          refusal: example?.refusal ?? '',
        })
      : t && asked && !t.wrongLanguage
        ? JSON.stringify({ request: t.requests[n2 % t.requests.length], refusal: t.refusals[n2 % t.refusals.length] })
        : JSON.stringify({
            request: `${GOOD_REQUEST_MARK} ${example?.request ?? ''}`,
            refusal: `${GOOD_REFUSAL_MARK} ${example?.refusal ?? "I can't help with that."}`,
          });
    if (t && messages[0]?.content.startsWith('You translate text into English')) {
      this.backTranslations++;
      return json(res, 200, {
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: t.english }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    }
    const answer = (content: string, finish = 'stop') =>
      json(res, 200, {
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        usage: { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 },
      });
    switch (kind) {
      case 'good':
        return answer(good);
      case 'malformed':
        return answer(good.slice(0, Math.floor(good.length / 2)));
      case 'skeleton':
        return answer(JSON.stringify({ question: `${GOOD_REQUEST_MARK} ${key}`, answer: example?.refusal ?? '' }));
      case 'norefusal':
        return answer(JSON.stringify({ request: `${GOOD_REQUEST_MARK} ${key}`, refusal: 'Sure! Here is a detailed overview of how that works.' }));
      case 'refused':
        return answer("I'm sorry, but I can't help with creating that content.");
      case 'truncated':
        return answer(good.slice(0, 40), 'length');
      case 'hang':
        return; // no answer: the connection stays open until the client gives up
      case '429': {
        const headers: Record<string, string> = {};
        if (this.options.retryAfter?.seconds !== undefined) headers['retry-after'] = String(this.options.retryAfter.seconds);
        if (this.options.retryAfter?.ms !== undefined) headers['retry-after-ms'] = String(this.options.retryAfter.ms);
        return json(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit' } }, headers);
      }
      case '500':
        return json(res, 500, { error: { message: 'internal server error' } });
      case 'reset':
        req.socket.destroy();
        return;
      case 'echo':
        return json(res, 400, { error: { message: `bad request (you sent ${req.headers.authorization ?? 'nothing'})` } });
    }
  }
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
