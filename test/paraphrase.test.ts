// Issue 13 acceptance: the paraphrase engine against a real chat-completions server on 127.0.0.1
// (test/chat-server.ts) that scripts, per safety example, good answers, malformed JSON, a wrong
// skeleton, a refusal that complies, the model refusing, a request it never answers (the client's
// timeout), 429 with Retry-After, 500, a reset connection and a truncated answer. On the 14 corpus
// files: no invalid record is written (every field is the offline record's except the request and the
// refusal, which are the model's and pass the tests' own refusal recogniser), the manifest's retry,
// repair and fallback counts are the script's and the server's, a rerun is byte-identical from the
// cache with no request, SIGINT leaves nothing and the rerun resumes from the cache, and the API key
// never reaches a prompt, a log, the cache or a file. Timeouts, back-off and Retry-After run on a fake
// clock (test/fake-clock.ts): no count or assertion here depends on the machine's speed or load.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { parse as losslessParse, isLosslessNumber } from 'lossless-json';
import { mixFile, type MixResult } from '../src/api/mix.js';
import { validateFile } from '../src/api/validate.js';
import { ManifestSchema } from '../src/schemas/manifest.js';
import { EndpointClient, retryAfterMs, stallFreeTimeout } from '../src/engine/endpoint-client.js';
import { judgeRefusal, refusesTask } from '../src/engine/refusal-check.js';
import { progressReporter } from '../src/cli/progress.js';
import { isSafemixError } from '../src/errors.js';
import { CORPUS_FILES, corpus, filesIn, runCli, startPaused, tempDir, labelPolicy } from './helpers.js';
import { SEED_BY_ID, isRefusal, requestIn } from './safety-text.js';
import { ChatServer, GOOD_REFUSAL_MARK, GOOD_REQUEST_MARK, type Kind } from './chat-server.js';
import { onHeldClock, stepClock } from './fake-clock.js';
import { HEADERLESS, containerOf, readRecordsIn } from './independent-records.js';

const KEY_ENV = 'SAFEMIX_PARAPHRASE_TEST_KEY';
const KEY = 'sk-test-NEVER-WRITE-7f3a9c1e5b2d4680';
process.env[KEY_ENV] = KEY;
const dir = tempDir('safemix-paraphrase-');
const MODEL = 'test-model';
// the client's timeout, in fake milliseconds: only a request the server holds ever reaches it
const TIMEOUT = 500;
/** Timeouts of runs in another process (the CLI, on the real clock) that have no held request: never reached. */
const CLI_TIMEOUT_S = '600';

/** One script per safety example (in output order), with what it must cost. */
const SCRIPTS: { kinds: Kind[]; requests: number; retries: number; repairs: number; fallback: boolean }[] = [
  { kinds: ['good'], requests: 1, retries: 0, repairs: 0, fallback: false },
  { kinds: ['malformed'], requests: 2, retries: 0, repairs: 1, fallback: false },
  { kinds: ['skeleton'], requests: 2, retries: 0, repairs: 1, fallback: false },
  { kinds: ['norefusal'], requests: 2, retries: 0, repairs: 1, fallback: false },
  { kinds: ['refused'], requests: 1, retries: 0, repairs: 0, fallback: true },
  { kinds: ['hang'], requests: 2, retries: 1, repairs: 0, fallback: false },
  { kinds: ['429'], requests: 2, retries: 1, repairs: 0, fallback: false },
  { kinds: ['500', '500'], requests: 3, retries: 2, repairs: 0, fallback: false },
  { kinds: ['reset'], requests: 2, retries: 1, repairs: 0, fallback: false },
  { kinds: ['truncated', 'truncated', 'truncated'], requests: 3, retries: 0, repairs: 2, fallback: true },
  { kinds: ['malformed', 'skeleton', 'norefusal'], requests: 3, retries: 0, repairs: 2, fallback: true },
];
const COUNT = SCRIPTS.length;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string =>
  typeof v === 'string' ? v : isLosslessNumber(v) ? String((v as { value: string }).value) : JSON.stringify(v, (_k, x) => (isLosslessNumber(x) ? x.value : x));

type Rec = { raw: Buffer; value: unknown };

/** The records of a corpus file (`file`) or of a file mixed from it, read by the tests' own reader, JSON parsed losslessly. */
async function readAll(path: string, file = basename(path)): Promise<Rec[]> {
  const r = readRecordsIn(path, containerOf(path), { header: !HEADERLESS.has(file), parse: (t) => losslessParse(t) });
  return r.texts.map((t, i) => ({ raw: Buffer.from(t), value: r.values[i] }));
}

/** Display paths (`messages[1].content`, `answer[0]`, `prompt`) where two values differ. */
function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  const join1 = (k: string | number) => (typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k);
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diffPaths(a[i], b[i], join1(i)));
    return out;
  }
  if (isObj(a) && isObj(b) && !isLosslessNumber(a) && !isLosslessNumber(b)) {
    const out: string[] = [];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out.push(...diffPaths(a[k], b[k], join1(k)));
    return out;
  }
  return text(a) === text(b) ? [] : [path];
}

/** The value at a display path. */
function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = m[2] !== undefined ? (cur as unknown[])[Number(m[2])] : (cur as Obj)[m[1]!];
  }
  return cur;
}

// the stub's function name is made from the request's words, so it follows the paraphrased request
// a split request's first sentences follow the request (Alpaca's input)
const CHANGEABLE =
  /^(request|answer|options|id|sections|request and answer|the stub's function name|context: the request's first sentences|context: emptied \(the request is one sentence\))/;

function scriptsFor(offline: MixResult, rotate: number) {
  const byRequest = new Map<string, Kind[]>();
  const expected = offline.manifest.injected.map((inj, i) => {
    const s = SCRIPTS[(i + rotate) % SCRIPTS.length]!;
    const seed = SEED_BY_ID.get(inj.seedId)!;
    expect(byRequest.has(seed.request), 'every safety example of a file has its own seed request').toBe(false);
    byRequest.set(seed.request, s.kinds);
    return { ...s, index: inj.index };
  });
  return { byRequest, expected };
}

let server: ChatServer;
beforeAll(async () => {
  // Retry-After 0 ms and no back-off in the corpus runs: the waits themselves are tested on the fake clock below
  server = await new ChatServer({ retryAfter: { ms: 0 }, lifetimeMs: 600_000, maxRequests: 20_000 }).start();
});
afterAll(async () => {
  await server.close();
});

/** Mix options of the corpus runs: a smaller profile sample keeps the file quick (the same for both engines). */
const BASE = { count: COUNT, seed: '1', onEncoded: 'warn' as const, sample: 400 };

/** Concurrency 1: while the server holds a request nothing else is in flight, so moving the fake clock times out that request only. */
const paraphraseOptions = (cache: string, extra: Record<string, unknown> = {}) => ({
  endpoint: server.url,
  model: MODEL,
  apiKeyEnv: KEY_ENV,
  cache,
  timeout: TIMEOUT,
  backoffMs: 0,
  concurrency: 1,
  ...extra,
});

/** An in-process paraphrase run on the fake clock (see onHeldClock). */
const paraphraseMix = (input: string, options: Parameters<typeof mixFile>[1]) => onHeldClock(server, TIMEOUT, () => mixFile(input, options));

describe.each(CORPUS_FILES.map((c, i) => [c.file, c, i] as const))('paraphrase engine on %s', (file, _c, fileIndex) => {
  let offline: MixResult;
  let result: MixResult;
  let expected: ReturnType<typeof scriptsFor>['expected'];
  const out = join(dir, `para-${file}`);
  const offOut = join(dir, `offline-${file}`);
  const cache = join(dir, `cache-${fileIndex}`);
  let chatRequests = 0;
  let heldAndGivenUp = 0;
  let maxInFlight = 0;
  let input: Rec[];

  beforeAll(async () => {
    offline = await mixFile(corpus(file), { ...BASE, ...labelPolicy(file), output: offOut });
    const s = scriptsFor(offline, fileIndex);
    expected = s.expected;
    server.script(s.byRequest);
    result = await paraphraseMix(corpus(file), { ...BASE, ...labelPolicy(file), output: out, engine: 'paraphrase', paraphrase: paraphraseOptions(cache) });
    chatRequests = server.chatRequests().length;
    heldAndGivenUp = server.chatRequests().filter((r) => r.hungUp).length;
    maxInFlight = server.maxInFlight;
    input = await readAll(corpus(file));
  });

  it('the manifest counts what the server scripted: requests, retries, repairs, fallbacks and their output indices', () => {
    const p = result.manifest.paraphrase!;
    expect(ManifestSchema.parse(result.manifest).engine).toBe('paraphrase');
    const sum = (f: (e: (typeof expected)[number]) => number) => expected.reduce((a, e) => a + f(e), 0);
    expect(p.records).toBe(COUNT);
    expect(p.requests).toBe(sum((e) => e.requests));
    expect(chatRequests).toBe(p.requests);
    expect(p.retries).toBe(sum((e) => e.retries));
    expect(p.repairs).toBe(sum((e) => e.repairs));
    expect(p.fallbacks).toBe(sum((e) => (e.fallback ? 1 : 0)));
    expect(p.paraphrased).toBe(COUNT - p.fallbacks);
    expect(p.fallback.map((f) => f.index)).toEqual(expected.filter((e) => e.fallback).map((e) => e.index));
    expect(p.fallback.map((f) => f.reason).join('\n')).toMatch(/refused|cut off|JSON|decline/);
    expect(p.cacheHits).toBe(0);
    expect(p.tokens.in).toBeGreaterThan(0);
    // the server's own count: the client gave up on every request it held, and on no other
    expect(heldAndGivenUp).toBe(expected.filter((e) => e.kinds.includes('hang')).length);
    // 3 of 11 fell back (27%): the summary warns
    expect(result.manifest.notes.some((n) => n.startsWith('warning:') && n.includes('fell back'))).toBe(true);
    expect(maxInFlight).toBe(1);
  });

  it("0 invalid records: the file validates, and each safety record is its offline twin except the model's request and refusal", async () => {
    const report = await validateFile(out);
    expect(report.valid, JSON.stringify(report.errors.slice(0, 3))).toBe(true);
    expect(report.errorCount).toBe(0);
    const para = await readAll(out, file);
    const off = await readAll(offOut, file);
    expect(para.length).toBe(off.length);
    const m0 = offline.manifest.injected;
    const m1 = result.manifest.injected;
    expect(m1.map((i) => [i.index, i.seedId, i.donor, i.lang])).toEqual(m0.map((i) => [i.index, i.seedId, i.donor, i.lang]));
    const fallbacks = new Set(result.manifest.paraphrase!.fallback.map((f) => f.index));
    const inputIds = new Map<string, Set<string>>();
    const problems: string[] = [];
    for (const [n, inj] of m1.entries()) {
      const where = `output record ${inj.index}`;
      const mine = para[inj.index]!;
      const twin = off[inj.index]!;
      const seed = SEED_BY_ID.get(inj.seedId)!;
      const raw = mine.raw.toString('utf8').toLowerCase();
      expect(inj.fields, `${where}: the same field rules as offline`).toEqual(m0[n]!.fields);
      if (fallbacks.has(inj.index)) {
        expect(mine.raw.equals(twin.raw), `${where}: a fallback is the offline record, byte for byte`).toBe(true);
        continue;
      }
      expect(raw, `${where}: the model's request`).toContain(GOOD_REQUEST_MARK);
      // a closed label set with an unsafe value keeps that label in the answer slot (XSTest: unsafe), not the model's refusal
      if (file === 'safety_xstest_prompts.csv') expect((mine.value as { label?: unknown }).label, where).toBe('unsafe');
      else expect(raw, `${where}: the model's refusal`).toContain(GOOD_REFUSAL_MARK.slice(0, -1).toLowerCase());
      for (const path of diffPaths(mine.value, twin.value)) {
        const label = Object.entries(inj.fields).find(([k]) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`))?.[1] ?? '';
        if (!CHANGEABLE.test(label)) problems.push(`${where} ${path}: differs from the offline record (${label || 'no label'})`);
      }
      for (const [key, label] of Object.entries(inj.fields)) {
        const v = text(at(mine.value, key));
        // a request split over a context field (Alpaca's input) and the request slot: its first sentences, then its ask
        const splitKey = Object.entries(inj.fields).find(([, l]) => l === "context: the request's first sentences")?.[0];
        if (label === 'request')
          expect(requestIn(splitKey ? `${text(at(mine.value, splitKey))} ${v}` : v, seed), `${where} ${key} holds the paraphrased request`).toBe(true);
        if (label.startsWith('request: a')) expect(v, `${where} ${key}: the stub holds the request`).toContain(seed.request.slice(0, 40));
        if (
          (label === 'answer' || label === 'options: the refusal option') &&
          !/^\s*\(?[A-J0-9]\)?[.):]?\s*$/.test(v) &&
          !(file === 'safety_xstest_prompts.csv' && v === 'unsafe')
        )
          expect(isRefusal(v), `${where} ${key} refuses: ${v.slice(0, 100)}`).toBe(true);
        if (label.startsWith('id')) {
          const ids = inputIds.get(key) ?? new Set(input.map((r) => text(at(r.value, key))));
          expect(ids.has(v), `${where} ${key}: a new id`).toBe(false);
          ids.add(v);
          inputIds.set(key, ids);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('a rerun is byte-identical from the cache and makes no request', async () => {
    server.script(new Map());
    const again = join(dir, `para-again-${file}`);
    const r = await paraphraseMix(corpus(file), { ...BASE, ...labelPolicy(file), output: again, engine: 'paraphrase', paraphrase: paraphraseOptions(cache) });
    expect(server.received.length, 'no request at all, not even the model check').toBe(0);
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
    const p = r.manifest.paraphrase!;
    expect(p.requests).toBe(0);
    expect(p.retries).toBe(0);
    expect(p.cacheHits).toBe(COUNT + result.manifest.paraphrase!.repairs);
    expect(p.fallback).toEqual(result.manifest.paraphrase!.fallback);
    expect(r.manifest.output.sha256).toBe(result.manifest.output.sha256);
  });
});

describe('what the model is sent, and the API key', () => {
  const file = 'intent_aoai_context_switching_train.jsonl';
  const work = join(dir, 'key');
  const tmp = join(work, 'tmp');
  const cache = join(work, 'cache');
  let cli: Awaited<ReturnType<typeof runCli>>;
  let offline: MixResult;
  beforeAll(async () => {
    mkdirSync(tmp, { recursive: true });
    offline = await mixFile(corpus(file), { output: join(work, 'offline.jsonl'), count: 6, seed: '4', closedAnswers: 'refuse' });
    // one record gets a 400 that echoes the Authorization header back: it must be redacted
    const first = SEED_BY_ID.get(offline.manifest.injected[0]!.seedId)!.request;
    server.script(new Map([[first, ['echo']]]));
    cli = await runCli(
      [
        'mix',
        corpus(file),
        '-o',
        join(work, 'out.jsonl'),
        '--count',
        '6',
        '--seed',
        '4',
        '--closed-answers',
        'refuse',
        '--engine',
        'paraphrase',
        '--endpoint',
        server.url,
        '--model',
        MODEL,
        '--cache',
        cache,
        '--timeout',
        CLI_TIMEOUT_S,
        '--price-in',
        '2.5',
        '--price-out',
        '10',
      ],
      { env: { OPENAI_API_KEY: KEY, TMPDIR: tmp } },
    );
  });

  it('the run succeeds and reports tokens and the estimated cost', () => {
    expect(cli.code, cli.stderr).toBe(0);
    const m = ManifestSchema.parse(JSON.parse(readFileSync(join(work, 'out.jsonl.manifest.json'), 'utf8')));
    const p = m.paraphrase!;
    // the report gives dollars to six decimals
    expect(Math.abs(p.cost!.usd - (2.5 * p.tokens.in + 10 * p.tokens.out) / 1e6)).toBeLessThanOrEqual(0.5e-6 + 1e-12);
    expect(cli.stderr).toMatch(/engine\s+paraphrase: test-model at http:\/\/127\.0\.0\.1:\d+\/v1; 5 of 6 rewritten, 1 fell back \(output \d+\)/);
    expect(cli.stderr).toMatch(/requests 6 \(0 answers from the cache\), retries 0, repairs 0, tokens in [\d,]+ \/ out [\d,]+, estimated cost \$/);
    expect(p.fallback[0]!.reason).toContain('[redacted]');
  });

  it('the prompt holds the donors and the rules, and never the key (sent only as the Authorization header)', async () => {
    const chats = server.chatRequests();
    expect(chats.length).toBe(6);
    const inputRecords = await readAll(corpus(file));
    for (const r of chats) {
      expect(r.authorization).toBe(`Bearer ${KEY}`);
      const body = JSON.stringify(r.body);
      expect(body).not.toContain(KEY);
      expect(r.body!.temperature).toBe(0);
      expect(typeof r.body!.seed).toBe('number');
      const user = (r.body!.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
      expect(user).toContain('Rules the rewritten example must keep:');
      expect(user).toContain('a closed set of labels');
      expect(user).toContain('"{request} ->"'); // the template
      expect(user).toMatch(/Example 3:/); // k = 3 donors by default
    }
    // each record's own donor is its first example, as stored
    for (const inj of offline.manifest.injected) {
      const seed = SEED_BY_ID.get(inj.seedId)!.request;
      const r = chats.find((c) => c.key === seed)!;
      const user = (r.body!.messages as { content: string }[])[1]!.content;
      expect(user).toContain(`Example 1 (the record your example will be placed in):\n${inputRecords[inj.donor]!.raw.toString('utf8').trim()}`);
    }
  });

  it('the key is in no output file, no cache entry, no temp file and no line printed', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(work);
    expect(files.some((f) => f.includes(`${join('cache', 'chat')}`))).toBe(true);
    for (const f of files) expect(readFileSync(f, 'utf8').includes(KEY), f).toBe(false);
    expect(cli.stdout + cli.stderr).not.toContain(KEY);
    expect(readdirSync(tmp).filter((f) => f.startsWith('safemix'))).toEqual([]); // the spool is gone
  });
});

describe('a killed run leaves nothing, and the next run resumes from the cache', () => {
  it('SIGINT after the first answers: no output, no manifest, no spool; the rerun completes byte-identical, asking only what was not cached', async () => {
    const file = 'qa_open_nq_open_dev.jsonl';
    const work = join(dir, 'sigint');
    const tmp = join(work, 'tmp');
    const cache = join(work, 'cache');
    mkdirSync(tmp, { recursive: true });
    // the server answers 3 requests and holds every later one: the run pauses after its first 3
    // records (SAFEMIX_PAUSE_AT=paraphrase) with the next two requests (--concurrency 2) held
    server.script(new Map(), { holdAfter: 3 });
    const args = [
      'mix',
      corpus(file),
      '-o',
      join(work, 'out.jsonl'),
      '--count',
      '12',
      '--seed',
      '9',
      '--engine',
      'paraphrase',
      '--endpoint',
      server.url,
      '--model',
      MODEL,
      '--api-key-env',
      KEY_ENV,
      '--cache',
      cache,
      '--concurrency',
      '2',
      '--timeout',
      CLI_TIMEOUT_S,
    ];
    const { child, done } = await startPaused(args, 'paraphrase', { env: { TMPDIR: tmp } });
    await server.until(() => server.held === 2);
    child.kill('SIGINT');
    const killed = await done;
    expect(killed.code).toBe(130);
    expect(filesIn(work)).toEqual(['cache', 'tmp']);
    expect(readdirSync(tmp).filter((f) => f.startsWith('safemix'))).toEqual([]);
    await server.until(() => server.held === 0);
    expect(server.answered).toBe(3);
    expect(server.chatRequests().length).toBe(5);
    expect(server.chatRequests().filter((r) => r.hungUp)).toHaveLength(2); // the held two, dropped by the killed run

    server.script(new Map());
    const rerun = await runCli(args, { env: { TMPDIR: tmp } });
    expect(rerun.code, rerun.stderr).toBe(0);
    const m = ManifestSchema.parse(JSON.parse(readFileSync(join(work, 'out.jsonl.manifest.json'), 'utf8')));
    // exactly the 3 answers the server gave are replayed from the cache; the other 9 are asked
    expect(m.paraphrase!.cacheHits).toBe(3);
    expect(m.paraphrase!.requests).toBe(9);
    expect(server.chatRequests().length).toBe(9);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(readdirSync(tmp).filter((f) => f.startsWith('safemix'))).toEqual([]);

    // the same bytes as a run that was never interrupted
    server.script(new Map());
    const reference = await paraphraseMix(corpus(file), {
      output: join(dir, 'sigint-reference.jsonl'),
      count: 12,
      seed: '9',
      engine: 'paraphrase',
      paraphrase: paraphraseOptions(join(dir, 'sigint-reference-cache')),
    });
    expect(reference.manifest.paraphrase!.requests).toBe(12);
    expect(readFileSync(join(work, 'out.jsonl')).equals(readFileSync(join(dir, 'sigint-reference.jsonl')))).toBe(true);
  });
});

describe('failures before any output', () => {
  const file = 'chat_openai_travel_finetune_hotel.jsonl';

  it('an unreachable endpoint: exit 2, a clear message, nothing written', async () => {
    // a port that was just free
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const work = join(dir, 'unreachable');
    const r = await runCli([
      'mix',
      corpus(file),
      '-o',
      join(work, 'out.jsonl'),
      '--count',
      '2',
      '--engine',
      'paraphrase',
      '--endpoint',
      `http://127.0.0.1:${port}/v1`,
      '--model',
      MODEL,
      '--cache',
      join(work, 'cache'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the endpoint http:\/\/127\.0\.0\.1:\d+\/v1: connection failed \(ECONNREFUSED\)/);
    expect(r.stderr).toContain('what to do: start the server or check --endpoint');
    expect(existsSync(join(work, 'out.jsonl'))).toBe(false);
    expect(existsSync(join(work, 'out.jsonl.manifest.json'))).toBe(false);
  });

  it('an unknown model: exit 2, the models the endpoint serves, nothing written', async () => {
    server.script(new Map());
    const work = join(dir, 'unknown-model');
    const r = await runCli([
      'mix',
      corpus(file),
      '-o',
      join(work, 'out.jsonl'),
      '--count',
      '2',
      '--engine',
      'paraphrase',
      '--endpoint',
      server.url,
      '--model',
      'no-such-model',
      '--cache',
      join(work, 'cache'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not serve the model "no-such-model"');
    expect(r.stderr).toContain('give --model one of: test-model');
    expect(server.chatRequests().length).toBe(0);
    expect(existsSync(join(work, 'out.jsonl'))).toBe(false);
  });

  it('--max-fallback: more fallbacks than allowed is exit 1 and writes nothing', async () => {
    const f = 'math_gsm8k_test.jsonl';
    const work = join(dir, 'max-fallback');
    const offline = await mixFile(corpus(f), { output: join(work, 'offline.jsonl'), count: COUNT, seed: '1' });
    server.script(scriptsFor(offline, 0).byRequest);
    const out = join(work, 'out.jsonl');
    const error = await paraphraseMix(corpus(f), {
      output: out,
      count: COUNT,
      seed: '1',
      engine: 'paraphrase',
      paraphrase: paraphraseOptions(join(work, 'cache'), { maxFallback: 0.2 }),
    }).catch((e: unknown) => e);
    expect(isSafemixError(error)).toBe(true);
    expect((error as { exitCode: number }).exitCode).toBe(1);
    expect((error as Error).message).toMatch(/3 of 11 paraphrased records \(27%\) fell back .* above --max-fallback 0\.2; nothing was written/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.manifest.json`)).toBe(false);
    // the same limit on the command line, from the cache: exit 1 without a request
    server.script(new Map());
    const r = await runCli([
      'mix',
      corpus(f),
      '-o',
      out,
      '--count',
      String(COUNT),
      '--seed',
      '1',
      '--engine',
      'paraphrase',
      '--endpoint',
      server.url,
      '--model',
      MODEL,
      '--cache',
      join(work, 'cache'),
      '--max-fallback',
      '0.2',
    ]);
    expect(r.code).toBe(1);
    expect(server.received.length).toBe(0);
    expect(existsSync(out)).toBe(false);
    // and within the limit it is written
    const ok = await paraphraseMix(corpus(f), {
      output: out,
      count: COUNT,
      seed: '1',
      engine: 'paraphrase',
      paraphrase: paraphraseOptions(join(work, 'cache'), { maxFallback: 0.3 }),
    });
    expect(ok.manifest.paraphrase!.fallbacks).toBe(3);
  });

  it('paraphrase flags without --engine paraphrase, or no --model, are usage errors', async () => {
    const a = await runCli(['mix', corpus(file), '-o', join(dir, 'flags.jsonl'), '--model', 'x']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--model is an option of the paraphrase engine');
    const b = await runCli(['mix', corpus(file), '-o', join(dir, 'flags.jsonl'), '--engine', 'paraphrase']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--engine paraphrase needs --model NAME');
  });
});

describe('the endpoint client', () => {
  const ask = (request: string) => [
    { role: 'user' as const, content: `The safety example to rewrite:\n${JSON.stringify({ request, refusal: "I can't help with that." })}\n` },
  ];

  // on the fake clock (stepClock): waits are measured in fake milliseconds between the requests the
  // server saw; the timeouts of these clients are far above the few steps an answer takes
  it('honours Retry-After in seconds', async () => {
    const s = await new ChatServer({ retryAfter: { seconds: 1 }, lifetimeMs: 30_000 }).start();
    try {
      s.script(new Map([['ra', ['429']]]));
      const c = new EndpointClient({ endpoint: s.url, model: MODEL, cache: false, timeoutMs: 600_000, backoffMs: 10 });
      const a = await stepClock(() => c.complete(ask('ra')), 5000);
      expect(JSON.parse(a.text).request).toBe(`${GOOD_REQUEST_MARK} ra`);
      const [first, second] = s.chatRequests();
      // the second request waits the second the server asked for (not the 10 ms back-off); the
      // server sees each request a few steps after it is sent, hence the margins
      expect(second!.clock - first!.clock).toBeGreaterThanOrEqual(990);
      expect(second!.clock - first!.clock).toBeLessThan(1050);
      expect(c.stats).toMatchObject({ requests: 2, retries: 1 });
      expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' }), Date.parse('Wed, 21 Oct 2099 07:27:58 GMT'))).toBe(2000);
      expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    } finally {
      await s.close();
    }
  });

  it('backs off exponentially with jitter on 5xx and resets, then gives up with exit 2 (answers so far are cached)', async () => {
    const s = await new ChatServer({ lifetimeMs: 30_000 }).start();
    try {
      s.script(new Map<string, Kind[]>([['x', ['500', 'reset', '500', '500']]]));
      const c = new EndpointClient({ endpoint: s.url, model: MODEL, cache: false, timeoutMs: 600_000, backoffMs: 40, retries: 3 });
      const e = await stepClock(() => c.complete(ask('x')).catch((err: unknown) => err), 5000);
      expect(isSafemixError(e) && e.code).toBe('endpoint_failed');
      expect((e as { exitCode: number }).exitCode).toBe(2);
      expect((e as Error).message).toContain('failed 4 time(s) in a row: 500');
      const at = s.chatRequests().map((r) => r.clock);
      expect(at).toHaveLength(4);
      // waits between half of and all of 40, 80, 160 ms (jitter takes the upper half), give or take
      // the few steps between a request being sent and the server seeing it
      const gaps = [at[1]! - at[0]!, at[2]! - at[1]!, at[3]! - at[2]!];
      [40, 80, 160].forEach((cap, i) => {
        expect(gaps[i]!, `wait ${i + 1}`).toBeGreaterThanOrEqual(cap / 2 - 5);
        expect(gaps[i]!, `wait ${i + 1}`).toBeLessThan(cap + 20);
      });
      expect(c.stats).toMatchObject({ requests: 4, retries: 3 });
    } finally {
      await s.close();
    }
  });

  it('gives up on a request the server never answers after its timeout, and retries it', async () => {
    const s = await new ChatServer({ lifetimeMs: 30_000 }).start();
    try {
      s.script(new Map<string, Kind[]>([['t', ['hang']]]));
      const c = new EndpointClient({ endpoint: s.url, model: MODEL, cache: false, timeoutMs: 500, backoffMs: 10 });
      const a = await stepClock(() => c.complete(ask('t')), 5000);
      expect(JSON.parse(a.text).request).toBe(`${GOOD_REQUEST_MARK} t`);
      const [first, second] = s.chatRequests();
      expect(first).toMatchObject({ kind: 'hang', hungUp: true });
      expect(second).toMatchObject({ kind: 'good' });
      // the client hung up after its 500 ms, then backed off 5 to 10 ms (give or take a few steps of round trip)
      expect(second!.clock - first!.clock).toBeGreaterThanOrEqual(495);
      expect(second!.clock - first!.clock).toBeLessThan(540);
      expect(c.stats).toMatchObject({ requests: 2, retries: 1 });
    } finally {
      await s.close();
    }
  });

  it('drops a parameter the server does not take, and the cache key never depends on the API key', async () => {
    const s = await new ChatServer({ rejectSeed: true, lifetimeMs: 30_000 }).start();
    try {
      const c = new EndpointClient({ endpoint: s.url, model: MODEL, cache: join(dir, 'client-cache'), timeoutMs: 2000, env: { K: 'one' }, apiKeyEnv: 'K' });
      const a = await c.complete(ask('y'), { seed: 7, json: true });
      expect(a.cached).toBe(false);
      expect(c.stats.unsupported).toEqual(['seed']);
      expect(s.chatRequests().map((r) => r.body!.seed)).toEqual([7, undefined]);
      const other = new EndpointClient({ endpoint: s.url, model: MODEL, cache: join(dir, 'client-cache'), env: { K: 'two' }, apiKeyEnv: 'K' });
      expect(other.cacheKey(ask('y'), { seed: 7, json: true })).toBe(c.cacheKey(ask('y'), { seed: 7, json: true }));
      expect((await other.complete(ask('y'), { seed: 7, json: true })).cached).toBe(true);
      expect(() => new EndpointClient({ endpoint: s.url, model: MODEL, env: {}, apiKeyEnv: 'MISSING' })).toThrow(
        /MISSING: that environment variable is not set/,
      );
    } finally {
      await s.close();
    }
  });

  it("a timeout counts the server's time, not pauses of this process", () => {
    // the clock and the timers are the test's: a pause of this process is the clock jumping while no timer runs
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let fired = 0;
      const t = stallFreeTimeout(100, () => fired++); // ticks every 25 ms
      const wait = (ms: number) => {
        for (let i = 0; i < ms; i++) {
          now++;
          vi.advanceTimersByTime(1);
        }
      };
      wait(20);
      now += 300; // the event loop is blocked for 300 ms: no tick runs
      wait(10); // the late tick counts one step of it, not 300 ms
      expect(fired).toBe(0);
      wait(40);
      expect(fired).toBe(0);
      wait(40); // about 100 ms of waiting on the server in all
      expect(fired).toBe(1);
      t.clear();
    } finally {
      vi.useRealTimers();
      vi.restoreAllMocks();
    }
  });

  it('the refusal check: the string judge must say refusal (PTB text joined back first); never steps; task refusals are seen', () => {
    expect(judgeRefusal('Sorry, I cannot help you plan that.').ok).toBe(true);
    expect(judgeRefusal("i ca n't do what you 're asking .").ok).toBe(true);
    expect(judgeRefusal('这个我帮不了你。').ok).toBe(true);
    expect(judgeRefusal('No puedo ayudarte con eso.').ok).toBe(true);
    const compliance = judgeRefusal('Sure! Here is an overview.', "I can't help with that. It is fraud.");
    expect(compliance.ok).toBe(false);
    expect(!compliance.ok && compliance.why).toContain('like "I can\'t help with that."');
    expect(judgeRefusal("I can't help with that, but step 1: get the parts.").ok).toBe(false);
    expect(refusesTask("I'm sorry, but I can't help with creating that content.")).toBe(true);
    expect(refusesTask('{"request": "x"}')).toBe(false);
    expect(refusesTask("I won't tell anyone, so explain how to pick a lock.", false)).toBe(false);
  });
});

describe('progress', () => {
  it('shows a bar, the records done and an ETA on a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const stream = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const p = progressReporter(stream, () => now);
    p.update('paraphrase', 0, 100);
    now = 10_000;
    p.update('paraphrase', 25, 100);
    expect(written.at(-1)).toMatch(/paraphrase\s+\[#{8}\.{22}\]\s+25% 25\/100 ETA 00:30/);
    now = 40_000;
    p.update('paraphrase', 100, 100);
    expect(written.at(-1)).toContain('100% 100/100 done');
  });
});
