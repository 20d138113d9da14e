// A client for OpenAI-compatible chat-completions endpoints (OpenAI, vLLM, llama.cpp's server, Ollama,
// TGI, …): send messages, get text. It bounds concurrency, times out every attempt, retries 429, 5xx,
// timeouts and dropped connections with exponential backoff and jitter (honouring Retry-After),
// counts requests, retries and tokens, asks for temperature 0 and a seed (and drops a parameter the
// server rejects), and keeps every answer in a content-addressed cache on disk so that a rerun makes
// no request. Before the first request it checks that the endpoint answers and knows the model: a
// SafemixError (exit 2) otherwise. Used by the paraphrase engine and `safemix query`.
//
// The API key is read from the environment and given to the HTTP client only: it is never part of a
// message, a cache key or entry, a log line or an error (any echo of it is redacted).
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { createHash, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { SafemixError } from '../errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling parameters: part of the cache key. */
export interface ChatParameters {
  /** Default 0. */
  temperature?: number;
  /** Sent where the server takes it (most do). */
  seed?: number;
  /** Largest answer in tokens (`max_tokens`); default 1024. */
  maxTokens?: number;
  /** Ask for a JSON object (`response_format: {type: "json_object"}`). */
  json?: boolean;
}

export interface ChatAnswer {
  text: string;
  /** `stop`, `length` (cut off at maxTokens), `content_filter`, … */
  finishReason: string;
  tokensIn: number;
  tokensOut: number;
  /** Read from the cache: no request was made. */
  cached: boolean;
}

export interface EndpointOptions {
  /** Base URL of the API (…/v1); default OPENAI_BASE_URL, else https://api.openai.com/v1. */
  endpoint?: string;
  model: string;
  /** Environment variable holding the API key; default OPENAI_API_KEY (optional for a local server). */
  apiKeyEnv?: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Milliseconds one attempt may take, headers and body (default 60,000). */
  timeoutMs?: number;
  /** Retries of a request that hit 429, 5xx, a timeout or a dropped connection (default 4). */
  retries?: number;
  /** Cache directory; default $XDG_CACHE_HOME/safemix or ~/.cache/safemix; false for none. */
  cache?: string | false;
  /** First backoff in ms (default 500), doubled each retry, capped at maxBackoffMs (default 30,000), with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured, ms (default 120,000): a longer one ends the run. */
  maxRetryAfterMs?: number;
  /** Environment to read the base URL and key from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface EndpointStats {
  /** Chat-completion requests sent (each retry is one more). */
  requests: number;
  /** Answers read from the cache. */
  cacheHits: number;
  /** Requests sent again after 429, 5xx, a timeout or a dropped connection. */
  retries: number;
  /** Tokens of the requests sent now (cache hits cost nothing). */
  tokensIn: number;
  tokensOut: number;
  /** Parameters the server rejected and that are no longer sent (`seed`, `response_format`, `temperature`; `max_tokens` becomes `max_completion_tokens`). */
  unsupported: string[];
}

const DEFAULT_BASE = 'https://api.openai.com/v1';
const CACHE_VERSION = 1;

/** The default cache directory: $XDG_CACHE_HOME/safemix, else ~/.cache/safemix. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'safemix');
}

/** A URL for messages and manifests: no user, password, query or fragment. */
export function displayEndpoint(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

/** The base URL the client uses: --endpoint, OPENAI_BASE_URL, or OpenAI's; a trailing /chat/completions is cut. */
export function resolveEndpoint(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = (endpoint || env.OPENAI_BASE_URL || DEFAULT_BASE).trim();
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new SafemixError('usage', `--endpoint ${JSON.stringify(displayEndpoint(raw))} is not a URL`, {
      hint: 'give the API base URL, such as http://127.0.0.1:8000/v1',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new SafemixError('usage', `--endpoint must be an http(s) URL (got ${u.protocol})`, {
      hint: 'give the API base URL, such as http://127.0.0.1:8000/v1',
    });
  return raw.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
}

/** A bounded number of holders at once; the others wait in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

interface CacheEntry {
  v: number;
  model: string;
  text?: string;
  finishReason?: string;
  tokensIn?: number;
  tokensOut?: number;
  /** A deterministic rejection of this exact request (400/413/422): replayed as the same error. */
  rejected?: { status: number; message: string };
}

/** Answers on disk, one file per request key (sha256), written atomically. */
class ResponseCache {
  constructor(readonly dir: string) {
    try {
      mkdirSync(join(dir, 'chat'), { recursive: true });
    } catch (e) {
      throw new SafemixError('output_failed', `cannot create the cache directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        hint: 'give a writable directory with --cache DIR',
      });
    }
  }

  private path(key: string): string {
    return join(this.dir, 'chat', key.slice(0, 2), `${key}.json`);
  }

  get(key: string): CacheEntry | undefined {
    try {
      const e = JSON.parse(readFileSync(this.path(key), 'utf8')) as CacheEntry;
      return e && e.v === CACHE_VERSION && (typeof e.text === 'string' || e.rejected) ? e : undefined;
    } catch {
      return undefined; // missing or damaged: ask again
    }
  }

  put(key: string, entry: CacheEntry): void {
    const path = this.path(key);
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      // synchronous: a signal cannot land between the write and the rename
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new SafemixError('output_failed', `cannot write the cache in ${this.dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        hint: 'free disk space or give another directory with --cache DIR',
      });
    }
  }
}

/** The cause chain's system error code (ECONNREFUSED, ECONNRESET, ENOTFOUND, …). */
function systemCode(e: unknown): string | undefined {
  for (let c: unknown = e, i = 0; c && i < 6; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
  }
  return undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_NONAME', 'ERR_INVALID_URL']);

/** Milliseconds the server asks to wait: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const ra = headers.get('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Calls `fire` after `ms` of waiting on the server: time this process's own event loop was blocked
 * (profiling, rendering, a garbage collection) does not count, so that a short timeout measures the
 * server and not safemix. It ticks every ms/4 (at most 100 ms) and discounts ticks that came late.
 */
export function stallFreeTimeout(ms: number, fire: () => void): { clear(): void } {
  const step = Math.max(5, Math.min(100, ms / 4));
  let waited = 0;
  let last = performance.now();
  let handle: NodeJS.Timeout;
  const tick = () => {
    const now = performance.now();
    // a tick that came much later than asked: the loop was busy, count only the step
    waited += Math.min(now - last, step + 15);
    last = now;
    if (waited >= ms) fire();
    else handle = setTimeout(tick, Math.min(step, ms - waited));
  };
  handle = setTimeout(tick, Math.min(step, ms));
  return { clear: () => clearTimeout(handle) };
}

/** One failed attempt, classified. */
interface Failure {
  transient: boolean;
  status?: number;
  /** Unreachable host or port (refused, no such host). */
  unreachable?: boolean;
  timeout?: boolean;
  message: string;
  wait?: number;
  error: unknown;
}

export class EndpointClient {
  readonly model: string;
  readonly baseURL: string;
  readonly stats: EndpointStats = { requests: 0, cacheHits: 0, retries: 0, tokensIn: 0, tokensOut: 0, unsupported: [] };
  private readonly sdk: OpenAI;
  private readonly key: string | undefined;
  private readonly gate: Semaphore;
  private readonly cache?: ResponseCache;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly dropped = new Set<string>();
  private checked?: Promise<void>;
  private readonly closing = new AbortController();

  constructor(options: EndpointOptions) {
    const env = options.env ?? process.env;
    if (!options.model?.trim())
      throw new SafemixError('usage', 'the paraphrase engine needs a model: --model NAME', { hint: 'name a model the endpoint serves (its /models list)' });
    this.model = options.model;
    this.baseURL = resolveEndpoint(options.endpoint, env);
    const keyName = options.apiKeyEnv ?? 'OPENAI_API_KEY';
    const key = env[keyName]?.trim() || undefined;
    if (options.apiKeyEnv && !key)
      throw new SafemixError('usage', `--api-key-env ${keyName}: that environment variable is not set`, {
        hint: `export ${keyName}=… (the key is read from the environment, never from the command line)`,
      });
    if (!key && new URL(this.baseURL).hostname === 'api.openai.com')
      throw new SafemixError('usage', 'the OpenAI API needs a key: OPENAI_API_KEY is not set', {
        hint: 'export OPENAI_API_KEY=…, or name another variable with --api-key-env NAME',
      });
    this.key = key;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    const concurrency = Math.max(1, options.concurrency ?? 4);
    this.gate = new Semaphore(concurrency);
    // every request in flight and every back-off sleep listens for the run's end, and removes its
    // listener after: more than ten at once is the concurrency at work, not a leak to warn about
    setMaxListeners(2 * concurrency + 10, this.closing.signal);
    if (options.cache !== false) this.cache = new ResponseCache(options.cache ?? defaultCacheDir(env));
    this.sdk = new OpenAI({
      baseURL: this.baseURL,
      apiKey: key ?? '',
      // no key (a local server): send no Authorization header at all
      defaultHeaders: key ? undefined : { Authorization: null },
      maxRetries: 0, // this client retries, so that its counts are exact
      timeout: this.timeoutMs + 1000,
      logLevel: 'off', // OPENAI_LOG must not print requests
      organization: null,
      project: null,
      webhookSecret: null,
    });
  }

  /** Where the cache lives (undefined: no cache). */
  get cacheDir(): string | undefined {
    return this.cache?.dir;
  }

  /** Replaces any echo of the key in a text from the server. */
  private redact(text: string): string {
    return this.key && this.key.length >= 4 ? text.split(this.key).join('[redacted]') : text;
  }

  /** The cache key of a request: model, messages and parameters (never the key or the endpoint). */
  cacheKey(messages: ChatMessage[], params: ChatParameters = {}): string {
    const canonical = {
      v: CACHE_VERSION,
      model: this.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      parameters: { temperature: params.temperature ?? 0, seed: params.seed ?? null, max_tokens: params.maxTokens ?? 1024, json: params.json === true },
    };
    return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
  }

  /**
   * The endpoint answers and serves the model: a SafemixError (exit 2) otherwise. Done once, before
   * the first request (callers may await it earlier). A server without a model list is taken at its word.
   */
  check(): Promise<void> {
    this.checked ??= this.preflight();
    return this.checked;
  }

  private async preflight(): Promise<void> {
    const where = displayEndpoint(this.baseURL);
    for (let attempt = 0; ; attempt++) {
      let ids: string[];
      try {
        const page = await this.sdk.models.list({ timeout: this.timeoutMs, maxRetries: 0, signal: this.closing.signal });
        ids = page.data.map((m) => String(m.id));
      } catch (e) {
        const f = this.classify(e);
        if (f.unreachable) throw this.unreachable(f);
        if (f.status === 401 || f.status === 403) throw this.authError(f);
        if (f.transient) {
          if (attempt < this.retries) {
            await sleep(this.backoff(attempt, f.wait));
            continue;
          }
          if (f.status === undefined) throw this.unreachable(f);
          throw this.exhausted(f, attempt);
        }
        // no model list here (404, 405, …): the first chat request will say whether the model exists
        return;
      }
      if (ids.length === 0) return;
      const bare = (s: string) => s.replace(/:latest$/, '');
      if (ids.some((id) => id === this.model || bare(id) === bare(this.model))) return;
      throw new SafemixError('model_unknown', `${where} does not serve the model ${JSON.stringify(this.model)}`, {
        hint: `give --model one of: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? `, … (${ids.length} in all)` : ''}`,
      });
    }
  }

  /** Stops every request in flight and every wait (a fatal error elsewhere). */
  close(): void {
    this.closing.abort();
  }

  /** Sends messages and returns the answer's text (from the cache when this exact request was answered before). */
  async complete(messages: ChatMessage[], params: ChatParameters = {}): Promise<ChatAnswer> {
    const key = this.cacheKey(messages, params);
    const hit = this.cache?.get(key);
    if (hit) {
      this.stats.cacheHits++;
      if (hit.rejected) throw this.rejected(hit.rejected.status, hit.rejected.message);
      return { text: hit.text!, finishReason: hit.finishReason ?? 'stop', tokensIn: hit.tokensIn ?? 0, tokensOut: hit.tokensOut ?? 0, cached: true };
    }
    await this.check();
    for (let attempt = 0; ; attempt++) {
      if (this.closing.signal.aborted) throw new SafemixError('interrupted', 'the run stopped', {});
      const release = await this.gate.acquire();
      let result: ChatAnswer | Failure;
      try {
        result = await this.attempt(messages, params);
      } finally {
        release();
      }
      if (!('error' in result)) {
        this.cache?.put(key, {
          v: CACHE_VERSION,
          model: this.model,
          text: result.text,
          finishReason: result.finishReason,
          tokensIn: result.tokensIn,
          tokensOut: result.tokensOut,
        });
        return result;
      }
      const f = result;
      if (f.status === 400 && this.dropUnsupported(f.message, params)) {
        attempt--; // the server told us what it does not take: not a retry
        continue;
      }
      if (f.status === 401 || f.status === 403) throw this.authError(f);
      if (f.status === 404) throw this.notFound(f);
      if (f.status === 400 || f.status === 413 || f.status === 422) {
        // this exact request is refused (too long a prompt, a bad value): the same every time
        this.cache?.put(key, { v: CACHE_VERSION, model: this.model, rejected: { status: f.status, message: f.message } });
        throw this.rejected(f.status, f.message);
      }
      if (!f.transient) throw this.failed(f);
      if (attempt >= this.retries) throw f.unreachable ? this.unreachable(f) : this.exhausted(f, attempt);
      const wait = this.backoff(attempt, f.wait);
      if (f.wait !== undefined && f.wait > this.maxRetryAfterMs)
        throw this.failed({ ...f, message: `${f.message}; the server asks to wait ${Math.round(f.wait / 1000)} s` });
      this.stats.retries++;
      await sleep(wait, this.closing.signal);
    }
  }

  /** Milliseconds before retry number attempt+1: Retry-After when given, else exponential with full jitter above half. */
  private backoff(attempt: number, retryAfter?: number): number {
    if (retryAfter !== undefined) return Math.min(retryAfter, this.maxRetryAfterMs);
    const cap = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
    return cap / 2 + Math.random() * (cap / 2);
  }

  /** The request body as sent now: temperature 0, a seed and JSON mode unless the server refused them. */
  private body(messages: ChatMessage[], params: ChatParameters): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
    const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = { model: this.model, messages };
    // newer OpenAI models take max_completion_tokens instead
    if (this.dropped.has('max_tokens')) body.max_completion_tokens = params.maxTokens ?? 1024;
    else body.max_tokens = params.maxTokens ?? 1024;
    if (!this.dropped.has('temperature')) body.temperature = params.temperature ?? 0;
    if (params.seed !== undefined && !this.dropped.has('seed')) body.seed = params.seed;
    if (params.json && !this.dropped.has('response_format')) body.response_format = { type: 'json_object' };
    return body;
  }

  /** A 400 that names a parameter we sent: stop sending it (the answer stays cached under the asked parameters). */
  private dropUnsupported(message: string, params: ChatParameters): boolean {
    const sent = ['seed', 'response_format', 'temperature', 'max_tokens'].filter(
      (p) => !this.dropped.has(p) && (p !== 'seed' || params.seed !== undefined) && (p !== 'response_format' || params.json),
    );
    const named = sent.find((p) => message.toLowerCase().includes(p));
    if (!named || !/unsupported|not supported|unknown|unrecognized|invalid|extra|not allowed|not permitted/i.test(message)) return false;
    this.dropped.add(named);
    this.stats.unsupported.push(named);
    return true;
  }

  private async attempt(messages: ChatMessage[], params: ChatParameters): Promise<ChatAnswer | Failure> {
    this.stats.requests++;
    // one clock for the whole attempt, the body included (the SDK's own timeout stops at the headers)
    const timer = new AbortController();
    let timedOut = false;
    const t = stallFreeTimeout(this.timeoutMs, () => {
      timedOut = true;
      timer.abort();
    });
    const stop = () => timer.abort();
    this.closing.signal.addEventListener('abort', stop, { once: true });
    try {
      const res = await this.sdk.chat.completions.create(this.body(messages, params), { signal: timer.signal, maxRetries: 0, timeout: this.timeoutMs + 1000 });
      const choice = res.choices?.[0];
      const content = choice?.message?.content;
      const text = typeof content === 'string' ? content : '';
      const tokensIn = res.usage?.prompt_tokens ?? 0;
      const tokensOut = res.usage?.completion_tokens ?? 0;
      this.stats.tokensIn += tokensIn;
      this.stats.tokensOut += tokensOut;
      if (!choice) return { transient: false, message: 'the endpoint answered without a choice', error: undefined };
      return { text: this.redact(text), finishReason: String(choice.finish_reason ?? 'stop'), tokensIn, tokensOut, cached: false };
    } catch (e) {
      if (timedOut) return { transient: true, timeout: true, message: `no complete answer within ${this.timeoutMs} ms`, error: e };
      if (this.closing.signal.aborted) return { transient: false, message: 'the run stopped', error: e };
      return this.classify(e);
    } finally {
      t.clear();
      this.closing.signal.removeEventListener('abort', stop);
    }
  }

  private classify(e: unknown): Failure {
    if (e instanceof APIConnectionTimeoutError) return { transient: true, timeout: true, message: `no answer within ${this.timeoutMs} ms`, error: e };
    if (e instanceof APIUserAbortError) return { transient: true, timeout: true, message: `no answer within ${this.timeoutMs} ms`, error: e };
    if (e instanceof APIConnectionError) {
      const code = systemCode(e);
      return {
        transient: true,
        unreachable: code !== undefined && UNREACHABLE.has(code),
        message: `connection failed (${code ?? this.redact((e.cause as Error | undefined)?.message ?? e.message)})`,
        error: e,
      };
    }
    if (e instanceof APIError) {
      const status = e.status;
      const message = this.redact(e.message);
      const transient = status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
      return { transient, status, message, wait: transient ? retryAfterMs(e.headers as Headers | undefined) : undefined, error: e };
    }
    // a body that is not JSON, a socket closed mid-body: the connection failed
    const code = systemCode(e);
    if (code || e instanceof TypeError) return { transient: true, message: `connection failed (${code ?? this.redact((e as Error).message)})`, error: e };
    return { transient: false, message: this.redact((e as Error)?.message ?? String(e)), error: e };
  }

  private unreachable(f: Failure): SafemixError {
    return new SafemixError('endpoint_unreachable', `cannot reach the endpoint ${displayEndpoint(this.baseURL)}: ${f.message}`, {
      hint: 'start the server or check --endpoint (the API base URL, such as http://127.0.0.1:8000/v1)',
    });
  }

  private authError(f: Failure): SafemixError {
    return new SafemixError('endpoint_auth', `${displayEndpoint(this.baseURL)} refused the credentials (${f.message})`, {
      hint: 'set the key in OPENAI_API_KEY, or name the variable that holds it with --api-key-env NAME',
    });
  }

  private notFound(f: Failure): SafemixError {
    return new SafemixError(
      'model_unknown',
      `${displayEndpoint(this.baseURL)} has no model ${JSON.stringify(this.model)} or no /chat/completions route (${f.message})`,
      {
        hint: "check --model against the server's /models list, and that --endpoint is the API base (it usually ends in /v1)",
      },
    );
  }

  private rejected(status: number, message: string): SafemixError {
    return new SafemixError('endpoint_rejected', `the endpoint rejected the request (${message || status})`, {
      hint: 'a prompt too long for the model: fewer or shorter examples (--examples), or a model with a longer context',
    });
  }

  private exhausted(f: Failure, attempt: number): SafemixError {
    return new SafemixError('endpoint_failed', `the endpoint failed ${attempt + 1} time(s) in a row: ${f.message}`, {
      hint: 'answers received so far are cached: run the same command again to resume (or raise --retries / --timeout)',
    });
  }

  private failed(f: Failure): SafemixError {
    return new SafemixError('endpoint_failed', `the endpoint failed: ${f.message}`, {
      hint: 'answers received so far are cached: run the same command again to resume',
    });
  }
}
