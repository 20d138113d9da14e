// Shared test helpers: corpus paths, temp directories, sha256, and running the real CLI.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const CORPUS = fileURLToPath(new URL('./corpus/', import.meta.url));
export const corpus = (name: string) => join(CORPUS, name);

/**
 * The CLI's entry point: the build that test/global-setup.ts made for this run (plain JavaScript,
 * so a spawn pays no TypeScript compiling), or the checkout's bin when a file runs without it.
 * Also for commands that wrap it (`bash -c 'ulimit -f 8; node BIN …'`).
 */
export const BIN = process.env.SAFEMIX_TEST_BIN ?? join(ROOT, 'bin/safemix.js');

/** A fresh directory under the run's temp root (removed after the run; see global-setup.ts). */
export function tempDir(prefix = 'safemix-test-'): string {
  return mkdtempSync(join(process.env.SAFEMIX_TEST_TMP ?? tmpdir(), prefix));
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { stdin?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return runCommand(process.execPath, ['--expose-gc', BIN, ...args], options);
}

/** The corpus files with what a careful reader states about them (README table). */
export const CORPUS_FILES = [
  { file: 'chat_openai_travel_finetune_hotel.jsonl', container: 'jsonl', dialect: 'openai-chat', records: 10, sha16: '726b18a808e4d0ed' },
  { file: 'intent_aoai_context_switching_train.jsonl', container: 'jsonl', dialect: 'prompt-completion', records: 178, sha16: 'f93ff2c04ab92da4' },
  { file: 'instruct_alpaca_en_demo.json', container: 'json-array', dialect: 'alpaca', records: 999, sha16: 'bcc37c64db1a739a' },
  { file: 'instruct_alpaca_identity.json', container: 'json-array', dialect: 'alpaca', records: 91, sha16: 'fd029da7dd3df283' },
  { file: 'toolcall_sharegpt_glaive_demo.json', container: 'json-array', dialect: 'sharegpt', records: 300, sha16: '8b84773e44e71881' },
  { file: 'ner_uniner_crossner_ai.json', container: 'json-array', dialect: 'sharegpt', records: 2000, sha16: '22c70ac9109ebbba' },
  { file: 'math_gsm8k_test.jsonl', container: 'jsonl', dialect: 'fields', records: 1319, sha16: '3730d312f6e34405' },
  { file: 'qa_open_nq_open_dev.jsonl', container: 'jsonl', dialect: 'fields', records: 2000, sha16: 'c4b57b364cc6616e' },
  { file: 'code_humaneval.jsonl', container: 'jsonl', dialect: 'fields', records: 164, sha16: '1d49078ba3e2b196' },
  { file: 'sentiment_sst2_test.tsv', container: 'tsv', dialect: 'fields', records: 872, sha16: '54a9c12c77e402fc' },
  { file: 'topic_agnews_test.tsv', container: 'tsv', dialect: 'fields', records: 2000, sha16: '5bf29805332bca70' },
  { file: 'intent_banking77_test.csv', container: 'csv', dialect: 'fields', records: 3080, sha16: 'd12d6e3bc4c31039' },
  { file: 'safety_bianchi_refusals_alpaca.json', container: 'json-array', dialect: 'alpaca', records: 2483, sha16: '7dde08acf87f10cf' },
  { file: 'safety_xstest_prompts.csv', container: 'csv', dialect: 'fields', records: 450, sha16: '11783fb294ed0174' },
] as const;

/**
 * Corpus and fixture files whose answers are a closed label set with no value that marks a harmful
 * request (sentiment, topic, intent ids, NLI): mix declines them by default (exit 4). Tests of
 * everything else about mixing pass `closedAnswers: 'refuse'` for them (refusal text in the label slot).
 */
export const DECLINED_LABEL_FILES = new Set([
  'intent_aoai_context_switching_train.jsonl',
  'sentiment_sst2_test.tsv',
  'topic_agnews_test.tsv',
  'intent_banking77_test.csv',
  'nli_pairs.tsv',
]);
/** The mix options a test of a corpus file passes for its closed label set (see DECLINED_LABEL_FILES). */
export const labelPolicy = (file: string) => (DECLINED_LABEL_FILES.has(file) ? { closedAnswers: 'refuse' as const } : {});

/**
 * Starts the CLI with SAFEMIX_PAUSE_AT=phase and resolves once it says it paused there; the caller
 * then acts (signals it, changes its input) and resumes it with SIGUSR2 or awaits `done`.
 */
export async function startPaused(args: string[], phase: string, options: { cwd?: string; env?: Record<string, string>; stdin?: string | Buffer } = {}) {
  const child = spawn(process.execPath, ['--expose-gc', BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, SAFEMIX_PAUSE_AT: phase },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d) => out.push(d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
  const paused = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err.push(d);
      if (Buffer.concat(err).toString('utf8').includes(`paused at ${phase}`)) resolve();
    });
    void done.then((r) => reject(new Error(`the run ended (exit ${r.code}) before pausing at ${phase}: ${r.stderr}`)));
  });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  else child.stdin.end();
  await paused;
  return { child, done };
}

/** Runs any command (a shell with `ulimit`, a preloaded node) and collects its output. */
export function runCommand(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string | Buffer } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/** Deterministic pseudo-random bytes (a sha256 chain), for "random binary" inputs. */
export function pseudoRandomBytes(length: number, seed = 'safemix'): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < length; off += block.length) {
    block.copy(out, off, 0, Math.min(block.length, length - off));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}
