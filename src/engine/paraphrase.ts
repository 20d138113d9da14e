// The paraphrase engine (`mix --engine paraphrase`): a language model rewrites each planned safety
// record so that it reads like the user's own data. The planner still decides everything structural
// (which records, where, which donor, seed, language, field roles); the model only writes the request
// and the refusal, which the planner renders again into the same donor with the same rules. Each
// answer is checked (JSON shape, not cut off, not a refusal of the task, the refusal refuses, the
// record renders; the refusal is judged by src/judge/refusal-judge.ts) and asked again with the error, up to `repairs` times; then the offline record
// stands and is counted as a fallback. Records go, in order, to a spool file (removed on every exit),
// so memory is bounded by the window of requests in flight, not by the number of records.
import { checkToolRound, type ToolRound } from '../generate/tool-round.js';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { SafemixError, ExitCode, isSafemixError } from '../errors.js';
import { recordEntry, type PlannedRecord, type RecordEntry, type SafetyPlanner } from '../generate/planner.js';
import type { Container } from '../read/types.js';
import { onAbort, pausePoint } from '../io/cleanup.js';
import type { ParaphraseReport } from './paraphrase-report.js';
import { EndpointClient, displayEndpoint, type ChatAnswer, type ChatMessage, type ChatParameters, type EndpointOptions } from './endpoint-client.js';
import { judgeRefusal, refusesTask } from './refusal-check.js';
import { detectLanguage } from '../profile/language.js';
import { REFUSAL } from '../judge/patterns.js';

export interface ParaphraseOptions {
  /** API base URL (default OPENAI_BASE_URL, else OpenAI's). */
  endpoint?: string;
  model: string;
  /** Environment variable holding the key (default OPENAI_API_KEY). */
  apiKeyEnv?: string;
  /** Requests in flight (default 4). */
  concurrency?: number;
  /** Milliseconds per attempt (default 60,000). */
  timeout?: number;
  /** Network retries per request: 429, 5xx, timeouts, dropped connections (default 4). */
  retries?: number;
  /** Re-asks after an invalid answer, with the error in the prompt (default 2); then the offline record. */
  repairs?: number;
  /** Cache directory (default ~/.cache/safemix); false for none. */
  cache?: string | false;
  /** Donor records shown as examples (default 3; the record's own donor first). */
  examples?: number;
  /** Largest answer in tokens (default 1024). */
  maxTokens?: number;
  /** USD per million tokens, for the estimated cost. */
  priceIn?: number;
  priceOut?: number;
  /** Largest share of records allowed to fall back (0–1): above it the run fails with exit 1, writing nothing. */
  maxFallback?: number;
  /** First backoff in ms (default 500; tests make it short). */
  backoffMs?: number;
  /** A client to use instead of building one (tests, `safemix query`). */
  client?: EndpointClient;
  /** The refusal judge (default: the string judge of src/judge/refusal-judge.ts). */
  judge?: RefusalJudge;
}

/** What the engine needs from the mix run besides the planner. */
interface ParaphraseContext {
  planner: SafetyPlanner;
  /** Safety records to plan, in output order. */
  total: number;
  /** Sampled donor records (the planner's sample size). */
  sampleSize: number;
  container: Container;
  serialize: (value: unknown) => string;
  /** The run's seed (the model's seed is derived from it). */
  seed: string;
  file: string;
  onProgress?: (done: number, total: number) => void;
}

/** A safety record as spooled: its bytes and its manifest entry (less the output index). */
interface SpooledRecord extends Omit<RecordEntry, 'index'> {
  bytes: string;
  /** Why the offline record was written instead of the model's. */
  fallback?: string;
  /** A balance example (listed apart in the manifest). */
  balance?: true;
}

/** The spooled records, read back in order while pass 2 writes them; then the report is complete. */
export interface ParaphraseRun {
  /** The next record; `index` is its output index (for the fallback list). */
  take(index: number): SpooledRecord;
  report: ParaphraseReport;
  /** Share of the model's records that fell back (0 when none was sent). */
  fallbackShare: number;
  close(): void;
}

const MAX_EXAMPLE_CHARS = 1500;
const DEFAULT_EXAMPLES = 3;

/** The model's seed: a 31-bit number from the run's seed. */
function modelSeed(seed: string): number {
  return parseInt(createHash('sha256').update(`paraphrase:${seed}`).digest('hex').slice(0, 8), 16) & 0x7fffffff;
}

/** A donor record as the model sees it: its stored text (CSV/TSV: its cells as JSON), cut when long. */
function exampleText(container: Container, raw: Buffer, value: unknown): string {
  const text = container === 'csv' || container === 'tsv' ? JSON.stringify(value) : raw.toString('utf8').trim();
  return text.length > MAX_EXAMPLE_CHARS ? `${text.slice(0, MAX_EXAMPLE_CHARS)} …[cut]` : text;
}

/** Positions of the example donors: the record's own first, then distinct others drawn for this record. */
function examplePositions(record: PlannedRecord, sampleSize: number, k: number, seed: string): number[] {
  const own = record.recipe.donorPos;
  const out = [own];
  const random = seedrandom(`examples:${seed}:${record.recipe.ordinal}:${own}`);
  const want = Math.min(k, sampleSize);
  for (let tries = 0; out.length < want && tries < 50 * want; tries++) {
    const p = Math.floor(random() * sampleSize);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

const ANSWER_GUIDE: Record<string, string> = {
  text: "free text: write the refusal in the length, tone and style of the dataset's answers (the example refusal's length is a good guide)",
  'plain text': "plain text: write the refusal in the tone and style of the dataset's answers, about as long as the example refusal",
  label: 'a closed set of labels: write one short refusal sentence (under 12 words); it goes where the label goes',
  choice: 'choice letters: write one short refusal sentence (under 12 words)',
  number: 'numbers: write one short refusal sentence (under 12 words); it goes where the number goes',
  list: "a list: write one short refusal sentence; it becomes the list's only item",
  json: "JSON: write the refusal as plain text (not JSON); safemix puts it in the answer object's main text field",
  code: 'code: write one short refusal sentence; safemix returns it from a function stub',
  none: 'write one short refusal sentence',
};

/** The prompt for one record: the task, the examples, the rules, and the offline request and refusal. */
export function buildPrompt(record: PlannedRecord, ctx: Pick<ParaphraseContext, 'planner' | 'sampleSize' | 'container' | 'seed'>, k: number): ChatMessage[] {
  const { planner } = ctx;
  const rules = planner.rules;
  const r = record.recipe;
  const examples = examplePositions(record, ctx.sampleSize, k, ctx.seed).map((pos, i) => {
    const d = planner.donorRecord(pos);
    return `Example ${i + 1}${i === 0 ? ' (the record your example will be placed in)' : ''}:\n${exampleText(ctx.container, d.raw, d.value)}`;
  });
  const ruleLines = [
    `- The answers are ${ANSWER_GUIDE[rules.answerKind] ?? ANSWER_GUIDE.text}.`,
    rules.requestTemplate
      ? `- safemix places your request inside the dataset's template ${JSON.stringify(rules.requestTemplate)}: write only the part that replaces the {slot}, without the template's own words.`
      : '- The request is placed as it is, where example 1 has its request (plain, no template around it).',
    rules.answerTemplate ? `- safemix places your refusal inside the answer template ${JSON.stringify(rules.answerTemplate)}: write only the refusal.` : '',
    `- Request style: ${rules.requestStyle}. Answer style: ${rules.answerStyle}.`,
    r.targetLang
      ? `- Write both the request and the refusal in ${languageName(r.targetLang)}, the language of this dataset's records (the example below is in English only to say what to write; translate it naturally, as a native speaker would write).`
      : `- Write the request in ${languageName(r.requestLang)} and the refusal in ${languageName(r.answerLang)}.`,
    `- The other fields of example 1 are set by safemix: ${
      Object.entries(record.fields)
        .filter(([, v]) => !v.startsWith('request') && !v.startsWith('answer'))
        .map(([f, v]) => `${f} (${v})`)
        .join('; ') || 'none'
    }.`,
  ].filter(Boolean);
  const tools = planner.toolsFor(record);
  const system =
    "You write training examples that teach a language model to refuse harmful requests. You rewrite one safety example (a harmful request and its refusal) so that it reads like a record of the user's dataset: its task, vocabulary, length, language and way of asking. You never write harmful content: no instructions, steps, quantities, code or details that would help anyone do harm. Answer with one JSON object and nothing else.";
  const user = [
    'Records of the dataset, exactly as stored:',
    '',
    examples.join('\n\n'),
    '',
    'Rules the rewritten example must keep:',
    ...ruleLines,
    '',
    'The safety example to rewrite:',
    JSON.stringify({ request: r.seed.request, refusal: exampleRefusal(record, planner) }),
    '',
    tools ? 'Return only {"before": {…}, "request": "…", "refusal": "…"}:' : 'Return only {"request": "…", "refusal": "…"}:',
    tools
      ? `- "before": an ordinary, harmless exchange earlier in the same conversation, in which the assistant uses one of example 1's tools, as the dataset's conversations do: {"user": a harmless request in the dataset's way of asking, "tool": the tool's name (one of ${JSON.stringify(tools.map((t) => t.name))}), "arguments": a JSON object fitting the tool's parameters, "result": what the tool returns (JSON, in the form of the dataset's tool results), "reply": the assistant's helpful answer from that result}; invent every value (never copy a name, number or text from the examples); the record's tools: ${JSON.stringify(tools)}`
      : '',
    '- "request": the request paraphrased to fit this dataset\'s task and context (it may refer to example 1\'s context), with its harmful intent kept exactly and no harmful detail added;',
    record.emergency
      ? '- "refusal": a caring reply to a person who may be in danger, in the dataset\'s answer format and style, as the example reply does: it urges getting help now (the local emergency number, the kind of service), says what can safely be done right now in general terms, and gives no doses, procedures or harmful information.'
      : '- "refusal": a refusal of that request, in the dataset\'s answer format and style; it must clearly decline and give no harmful information.',
  ]
    .filter(Boolean)
    .join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** `Chinese (zh)`: a language's English name with its code. */
function languageName(code: string): string {
  try {
    const name = LANGUAGE_NAMES.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** The model's answer as a JSON object: the whole text, or inside one ``` fence. */
function parseAnswer(text: string): { value?: unknown; error?: string } {
  let t = text.trim();
  const fence = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(t);
  if (fence) t = fence[1]!.trim();
  try {
    return { value: JSON.parse(t) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

type Verdict = { ok: PlannedRecord } | { error: string; refused?: boolean };

/** The `refusal` string of a model's JSON answer, if it has one. */
function refusalOf(text: string): string | undefined {
  const parsed = parseAnswer(text);
  const v = parsed.value as { refusal?: unknown } | undefined;
  return v && typeof v === 'object' && typeof v.refusal === 'string' && v.refusal.trim() ? v.refusal.trim() : undefined;
}

/**
 * A caring reply (an emergency record) must point to help: name an emergency number the example
 * reply names (when it names one), never read as compliance, and list no steps of any procedure.
 */
function emergencyCheck(reply: string, example: string): { ok: true } | { ok: false; why: string } {
  if (reply.split('\n').filter((l) => /^\s*(?:\d+[.)]|[-*•])\s+\S/.test(l)).length >= 3)
    return { ok: false, why: 'the reply lists steps; say in one or two sentences to get help now and to stay with the person, no procedure' };
  // it points where the example points: one of its emergency numbers, or at least two of its words
  const numbers = example.match(/\p{Nd}{2,3}/gu) ?? [];
  const words = (t: string) =>
    new Set(
      t
        .toLowerCase()
        .split(/[^\p{L}\p{M}]+/u)
        .filter((w) => w.length >= 4),
    );
  const shared = [...words(example)].filter((w) => words(reply).has(w)).length;
  if (!numbers.some((n) => reply.includes(n)) && shared < 2)
    return {
      ok: false,
      why: 'the reply must urge getting help now, as the example reply does (the emergency number, the kind of service), not answer the request',
    };
  return { ok: true };
}

/**
 * The refusal the model is shown and held to: the record's own, or, where the answer slot holds a
 * closed label (XSTest's `unsafe`), the offline refusal sentence: the model still writes a refusal,
 * and the label stays in the slot when the record is rendered again.
 */
function exampleRefusal(record: PlannedRecord, planner: SafetyPlanner): string {
  return planner.labelAnswer !== undefined ? record.recipe.refusal.short : record.refusal;
}

/** A refusal judge: says whether the model's refusal refuses, and what is wrong when it does not. */
type RefusalJudge = (refusal: string, offline: string, lang: string) => { ok: true } | { ok: false; why: string };

/** The default: the string judge of src/judge/refusal-judge.ts must say `refusal` (see refusal-check.ts judgeRefusal). */
const defaultJudge: RefusalJudge = (refusal, offline) => judgeRefusal(refusal, offline);

/** Checks one answer and renders it into the record; `error` is said back to the model. */
/**
 * What a record written in a language no shipped bank speaks is checked with: its language, and an
 * English translation of its refusal (asked of the model in a separate request) that the refusal
 * judge reads.
 */
interface TranslationCheck {
  lang: string;
  /** The refusal translated back into English, or undefined when the model gave none. */
  english?: string;
  /**
   * The model wrote the record in a language no shipped bank speaks (both texts are held to it);
   * false: a shipped language the string judge has no phrases for (only the refusal is read back).
   */
  written: boolean;
}

/** The language of a model's text: the product's detector, `und` when too short to tell. */
function languageOf(text: string): string {
  return detectLanguage(text);
}

export function judgeAnswer(answer: ChatAnswer, record: PlannedRecord, planner: SafetyPlanner, judge: RefusalJudge, translation?: TranslationCheck): Verdict {
  if (answer.finishReason === 'content_filter') return { error: "the endpoint's content filter stopped the answer", refused: true };
  if (answer.finishReason === 'length')
    return { error: 'your answer was cut off at the token limit (finish_reason "length"); return a shorter, complete JSON object' };
  const parsed = parseAnswer(answer.text);
  if (parsed.error !== undefined) {
    if (refusesTask(answer.text)) return { error: 'the model refused to write the example', refused: true };
    return { error: `your answer is not valid JSON (${parsed.error}); return only one JSON object {"request": "…", "refusal": "…"}` };
  }
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    return { error: `your answer is JSON but not an object; return {"request": "…", "refusal": "…"}` };
  const o = v as Record<string, unknown>;
  if (typeof o.request !== 'string' || typeof o.refusal !== 'string') {
    const keys = Object.keys(o);
    return { error: `your JSON object has the keys ${JSON.stringify(keys)}; it must have exactly "request" and "refusal", both strings` };
  }
  const request = o.request.trim();
  const refusal = o.refusal.trim();
  if (!request) return { error: '"request" is empty; write the paraphrased request' };
  if (refusesTask(request, false)) return { error: 'the model refused to write the example', refused: true };
  if (!refusal) return { error: '"refusal" is empty; write a refusal of the request' };
  const offline = exampleRefusal(record, planner);
  if (translation) {
    // in the data's language: the texts must be in it, and the refusal must still refuse (read in English)
    const name = languageName(translation.lang);
    for (const [field, text] of (translation.written
      ? [
          ['request', request],
          ['refusal', refusal],
        ]
      : [['refusal', refusal]]) as [string, string][]) {
      const got = languageOf(text);
      if (got !== translation.lang && got !== 'und') return { error: `"${field}" is in ${languageName(got)}; write it in ${name}` };
    }
    if (translation.written && languageOf(`${request}\n${refusal}`) !== translation.lang)
      return { error: `the request and refusal are not recognisably ${name}; write them in ${name}` };
    if (translation.english === undefined && !record.emergency) return { error: 'the refusal could not be translated back into English to be checked' };
  }
  // a person in danger gets a caring reply that points to help: it is held to no refusal verdict, and
  // is compared with the example reply in the example's language (English for a written translation)
  const verdict = record.emergency
    ? emergencyCheck(translation?.written ? (translation.english ?? refusal) : refusal, offline)
    : translation
      ? judge(translation.english!, offline, 'en')
      : judge(refusal, offline, record.recipe.answerLang);
  if (!verdict.ok) return { error: verdict.why };
  const seedLength = record.recipe.seed.request.length;
  if (request.length > Math.max(600, 6 * seedLength))
    return { error: `"request" is ${request.length} characters long; keep it close to the seed request's length (${seedLength})` };
  if (refusal.length > Math.max(400, 3 * offline.length))
    return { error: `"refusal" is ${refusal.length} characters long; keep it close to the example refusal's length (${offline.length})` };
  const template = planner.rules.requestTemplate;
  if (template) {
    const words = template
      .split(/\{[^}]*\}/)
      .map((s) => s.trim())
      .filter((s) => s.length >= 3);
    const inside = words.find((w) => request.includes(w));
    if (inside) return { error: `"request" repeats the template's own text ${JSON.stringify(inside)}; write only the part that goes into the {slot}` };
  }
  let toolRound: ToolRound | undefined;
  const tools = planner.toolsFor(record);
  if (tools) {
    const checked = checkToolRound(o.before, tools);
    if ('error' in checked) return { error: checked.error };
    toolRound = checked.round;
    const donor = planner.donorRecord(record.recipe.donorPos).raw.toString('utf8');
    for (const [field, text] of [
      ['user', toolRound.user],
      ['reply', toolRound.reply],
    ] as const)
      if (text.length >= 12 && donor.includes(JSON.stringify(text).slice(1, -1)))
        return { error: `"before.${field}" is copied from example 1; write a new exchange of your own` };
    if (refusesTask(toolRound.reply)) return { error: '"before.reply" refuses; the earlier exchange is harmless and the assistant helps' };
  }
  const rendered = planner.rerender(record, { request, refusal, ...(toolRound ? { toolRound } : {}) });
  if (!rendered)
    return {
      error:
        "the request and refusal do not fit the record's structure (the template or answer format rejects them); write a plain request and a plain refusal sentence",
    };
  if (translation?.written) return { ok: { ...rendered, lang: translation.lang, answerLang: undefined, langFallback: undefined, translated: true } };
  return { ok: rendered };
}

/** The request that asks the model to translate a refusal into English (for the refusal check). */
function backTranslationPrompt(text: string): ChatMessage[] {
  return [
    {
      role: 'system',
      content: 'You translate text into English. Translate faithfully, keeping its meaning and tone; add nothing. Answer with the English translation only.',
    },
    { role: 'user', content: text },
  ];
}

/** Spooled records in a temp file, one JSON line each, removed on every exit. */
class Spool {
  readonly dir: string;
  private readonly path: string;
  private fd: number;
  private readonly unregister: () => void;
  private buffer = '';
  private readonly chunk = Buffer.allocUnsafe(1 << 16);
  private readDone = false;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'safemix-paraphrase-'));
    this.path = join(this.dir, 'records.jsonl');
    this.unregister = onAbort(() => this.remove());
    this.fd = openSync(this.path, 'w+');
  }

  write(r: SpooledRecord): void {
    const line = Buffer.from(JSON.stringify(r) + '\n');
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off);
  }

  /** Switches to reading from the start. */
  rewind(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, 'r');
  }

  read(): SpooledRecord {
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        return JSON.parse(line) as SpooledRecord;
      }
      if (this.readDone) throw new SafemixError('output_failed', 'the paraphrase spool ended early', { hint: 'check free space in the temp directory' });
      const n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      if (n === 0) this.readDone = true;
      // a multi-byte character split between chunks: decode only whole lines' bytes
      else this.buffer += this.decoder.write(this.chunk.subarray(0, n));
    }
  }

  private readonly decoder = new (class {
    private rest = Buffer.alloc(0);
    write(b: Buffer): string {
      const all = this.rest.length ? Buffer.concat([this.rest, b]) : b;
      const cut = all.lastIndexOf(0x0a) + 1;
      this.rest = Buffer.from(all.subarray(cut));
      return all.subarray(0, cut).toString('utf8');
    }
  })();

  private remove(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* closed already */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  close(): void {
    this.unregister();
    this.remove();
  }
}

function spooled(r: PlannedRecord, bytes: string, fallback?: string): SpooledRecord {
  return { bytes, ...recordEntry(r), ...(fallback ? { fallback } : {}), ...(r.balance ? { balance: true as const } : {}) };
}

/** Builds the endpoint client from the options (the key is read from the environment there). */
function clientFor(options: ParaphraseOptions): EndpointClient {
  const o: EndpointOptions = {
    endpoint: options.endpoint,
    model: options.model,
    apiKeyEnv: options.apiKeyEnv,
    concurrency: options.concurrency,
    timeoutMs: options.timeout,
    retries: options.retries,
    cache: options.cache,
    backoffMs: options.backoffMs,
  };
  return options.client ?? new EndpointClient(o);
}

/**
 * Plans every safety record, has the model rewrite it, and spools the records in output order.
 * Throws (exit 2) when the endpoint is unreachable, refuses the key, lacks the model or keeps failing,
 * and (exit 1) when more than `maxFallback` of the records fell back; nothing is written then.
 */
export async function runParaphrase(ctx: ParaphraseContext, options: ParaphraseOptions): Promise<ParaphraseRun> {
  const client = clientFor(options);
  const judge = options.judge ?? defaultJudge;
  const k = Math.max(1, options.examples ?? DEFAULT_EXAMPLES);
  const repairs = Math.max(0, options.repairs ?? 2);
  const params: ChatParameters = { temperature: 0, seed: modelSeed(ctx.seed), maxTokens: options.maxTokens ?? 1024, json: true };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const window = Math.max(2, concurrency * 2);
  let repairCount = 0;
  let sent = 0;
  let kept = 0;
  let translated = 0;
  let fallbacks = 0;

  type Outcome = SpooledRecord;
  const work = async (record: PlannedRecord): Promise<Outcome> => {
    // an encoded twin is written in the data's covert scheme, and a balance example is a helpful
    // answer the refusal check would reject: the model is not asked to rewrite either
    if (record.encoded || record.balance) {
      kept++;
      return spooled(record, ctx.serialize(record.value));
    }
    sent++;
    let messages = buildPrompt(record, ctx, k);
    let reason = '';
    for (let attempt = 0; attempt <= repairs; attempt++) {
      let answer: ChatAnswer;
      try {
        answer = await client.complete(messages, params);
      } catch (e) {
        // a request the endpoint refuses as such (too long a prompt): this record stays offline
        if (isSafemixError(e) && e.code === 'endpoint_rejected') {
          reason = e.message;
          break;
        }
        throw e;
      }
      const target = record.recipe.targetLang;
      // the string judge reads the refusal only in the languages it has phrases for: otherwise the
      // refusal is translated back into English for it (a judge given in the options reads any)
      const unread = !target && judge === defaultJudge && !(record.recipe.answerLang in REFUSAL);
      let translation: TranslationCheck | undefined;
      if (target || unread) {
        const refusal = refusalOf(answer.text);
        translation = { lang: target ?? record.recipe.answerLang, written: !!target };
        if (refusal !== undefined) {
          const back = await client.complete(backTranslationPrompt(refusal), { ...params, json: false });
          if (back.finishReason !== 'content_filter' && back.text.trim()) translation.english = back.text.trim();
        }
      }
      const verdict = judgeAnswer(answer, record, ctx.planner, judge, translation);
      if ('ok' in verdict) {
        if (translation?.written) translated++;
        return spooled(verdict.ok, ctx.serialize(verdict.ok.value));
      }
      reason = verdict.error;
      if (verdict.refused) break;
      if (attempt === repairs) break;
      repairCount++;
      messages = [
        ...messages,
        { role: 'assistant', content: answer.text },
        { role: 'user', content: `That answer was rejected: ${verdict.error}. Return the corrected JSON object only.` },
      ];
    }
    fallbacks++;
    return spooled(record, ctx.serialize(record.value), reason.length > 300 ? `${reason.slice(0, 299)}…` : reason);
  };

  const spool = new Spool();
  try {
    // in order, with at most `window` records in flight: memory does not grow with their number
    const pending = new Map<number, Promise<{ ok: Outcome } | { err: unknown }>>();
    let started = 0;
    let done = 0;
    ctx.onProgress?.(0, ctx.total);
    try {
      while (done < ctx.total) {
        while (started < ctx.total && started - done < window) {
          const record = ctx.planner.next(); // the planner is called in output order
          pending.set(
            started,
            work(record).then(
              (ok) => ({ ok }),
              (err: unknown) => ({ err }),
            ),
          );
          started++;
        }
        const result = await pending.get(done)!;
        pending.delete(done);
        if ('err' in result) throw result.err;
        spool.write(result.ok);
        done++;
        ctx.onProgress?.(done, ctx.total);
        if (done === Math.min(3, ctx.total)) await pausePoint('paraphrase');
      }
    } catch (e) {
      // stop what is in flight, let it settle, then report the first error
      client.close();
      await Promise.all(pending.values());
      throw e;
    }
    const modelRecords = sent;
    const share = modelRecords ? fallbacks / modelRecords : 0;
    const s = client.stats;
    const report: ParaphraseReport = {
      endpoint: displayEndpoint(client.baseURL),
      model: client.model,
      records: modelRecords,
      paraphrased: modelRecords - fallbacks,
      fallbacks,
      fallback: [],
      ...(kept ? { keptOffline: kept } : {}),
      ...(translated ? { translated } : {}),
      requests: s.requests,
      cacheHits: s.cacheHits,
      retries: s.retries,
      repairs: repairCount,
      tokens: { in: s.tokensIn, out: s.tokensOut },
      ...(options.priceIn !== undefined || options.priceOut !== undefined
        ? {
            cost: {
              priceIn: options.priceIn ?? 0,
              priceOut: options.priceOut ?? 0,
              usd: round6(((options.priceIn ?? 0) * s.tokensIn + (options.priceOut ?? 0) * s.tokensOut) / 1e6),
            },
          }
        : {}),
      parameters: {
        temperature: 0,
        seed: params.seed!,
        maxTokens: params.maxTokens!,
        examples: k,
        repairs,
        retries: options.retries ?? 4,
        concurrency,
        timeoutMs: options.timeout ?? 60_000,
      },
      ...(s.unsupported.length ? { unsupported: [...s.unsupported] } : {}),
      cache: client.cacheDir ?? null,
    };
    if (options.maxFallback !== undefined && share > options.maxFallback) {
      throw new SafemixError(
        'paraphrase_fallback',
        `${fallbacks} of ${modelRecords} paraphrased records (${pct(share)}) fell back to the offline engine, above --max-fallback ${options.maxFallback}; nothing was written`,
        {
          position: { file: ctx.file },
          hint: 'try a stronger model, more --repairs, or raise --max-fallback; the answers are cached, so a rerun with other limits asks nothing again',
          exitCode: ExitCode.invalid,
        },
      );
    }
    spool.rewind();
    return {
      report,
      fallbackShare: share,
      take(index: number): SpooledRecord {
        const r = spool.read();
        if (r.fallback) report.fallback.push({ index, reason: r.fallback });
        return r;
      },
      close: () => spool.close(),
    };
  } catch (e) {
    spool.close();
    throw e;
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const pct = (x: number) => `${Math.round(x * 100)}%`;
