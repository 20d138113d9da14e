// `safemix mix` as a library call, the product's main job. Pass 1 samples and profiles the input;
// pass 2 streams the user's records through unchanged while the blend plan places rendered safety
// records among them; output and manifest are written atomically. Memory is bounded by the sample.
import { progressGate } from '../progress-gate.js';
import { mixChoices, recordedRatio } from './mix-options.js';
import { buildManifest } from './manifest-build.js';
import { writeBlended } from '../write/blended-pass.js';
import { auditExemptions } from '../generate/audit-exemptions.js';
import { jsonLines, removeStaleSpools, spoolInput } from './spool.js';
import { DiscardSink } from '../write/discard-sink.js';
import { TOOL } from '../package-root.js';
import { SafemixError, ExitCode } from '../errors.js';
import { buildProfile, type Profile } from '../profile/profile.js';
import { serializerFor } from '../write/serializer.js';
import { PARALLEL_MIN_BYTES } from '../sha256.js';
import { collectNow } from '../gc-pacer.js';
import { AtomicFile, commitTogether, completeInterruptedCommit } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { assertUnchanged, checkTargets, fingerprint, inputChanged } from '../write/targets.js';
import { pausePoint } from '../io/cleanup.js';
import { RecordSink, type ByteSink } from '../write/record-sink.js';
import { checkOutputFormat, ParquetSink } from '../write/parquet-sink.js';
import { StdoutSink } from '../write/stdout-sink.js';
import { Interner, manifestProfile, writeManifest } from '../write/manifest-file.js';
import { InjectedSpool } from '../write/injected-spool.js';
import { BlendPlan, injectedCount, type BlendOrder } from '../blend/plan.js';
import { SafetyPlanner, recordEntry } from '../generate/planner.js';
import { decideAnswerSlot, type ClosedAnswerDecision, type ClosedAnswers } from '../generate/answer-policy.js';
import { unshippedDecline } from '../generate/language-policy.js';
import { decideBalance, type BalanceDecision } from '../generate/balance-policy.js';
import { FormAudit, type AuditMode } from '../audit/form-audit.js';
import { releaseDonorBytes } from '../generate/render.js';
// the paraphrase engine (and its HTTP client) loads only when a run asks for it
import type { ParaphraseOptions, ParaphraseRun } from '../engine/paraphrase.js';
import { trainSeeds } from '../generate/seeds.js';
import { loadSafetySource, type SafetySourceOptions } from './safety-source.js';
import { openScan, type ScanOptions } from './scan.js';
import { SAMPLE_MAX_BYTES, sampleDataset } from './inspect.js';
import type { Manifest } from './schemas.js';
import { analyzeSample, applyEncodingPolicy, describeEncoding, mimicScheme, plainRecords, skippedEncoding, type OnEncoded } from './encoding-check.js';
import { releaseLanguageModels } from '../profile/encoding/index.js';

export interface MixOptions extends ScanOptions {
  output: string;
  /** Safety records per user record (default 0.05). */
  ratio?: number;
  /** Exact number of safety records (wins over ratio). */
  count?: number;
  seed?: string;
  order?: BlendOrder;
  /** Manifest path; default `OUTPUT.manifest.json`; `false` for none. */
  manifest?: string | false;
  sample?: number;
  input?: string;
  target?: string;
  /** Fields forced to the context or metadata role. */
  context?: string[];
  metadata?: string[];
  /** Write every safety record in this language (ISO 639-1) instead of each donor's. */
  lang?: string;
  /**
   * `en`: records whose donor is in a language not shipped offline are written in English. Without
   * it, more than UNSHIPPED_MAX_SHARE of such records is declined by policy (exit 4).
   */
  langFallback?: 'en';
  /** Allow more than 10 safety records per user record. */
  force?: boolean;
  /**
   * Closed label sets (see generate/answer-policy.ts): `decline` (default: the label that marks a
   * harmful request where the set has one, else declined by policy, exit 4), `{ label }` (that
   * label), `refuse` (refusal text in the label slot) or `skip` (the data left unmixed).
   */
  closedAnswers?: ClosedAnswers;
  /**
   * The form audit (audit/form-audit.ts): `strict` (default) re-plans a safety record that a user
   * record's form tells apart and stops (exit 4, nothing written) when none passes; `warn` writes the
   * best form and lists its failures in the manifest.
   */
  audit?: AuditMode;
  /**
   * Balance examples (safe-but-sensitive prompts answered helpfully, data/balance/) as a share of the
   * k safety records, added beside them (default DEFAULT_BALANCE_SHARE; 0 for none). Only where the
   * answer slot takes free text; see generate/balance-policy.ts.
   */
  balance?: number;
  /**
   * Keep the manifest's list of safety records in memory and return it in `manifest.injected`
   * (default true). False keeps it in a temp file until the manifest is written (the returned
   * `injected` is then empty; `categories` still counts them): memory then does not grow with the
   * number of safety records (the CLI and the queue workers do this).
   */
  keepInjected?: boolean;
  /** Leave out records that fail the checks (listed in the manifest) instead of stopping. */
  skipInvalid?: boolean;
  /**
   * Plan, render and audit every safety record and read the input twice as a run does, and write
   * nothing: the result's manifest is the one a run would write (its output hash and size included).
   * The paraphrase engine is not called (the records are the offline engine's).
   */
  dryRun?: boolean;
  safety?: SafetySourceOptions;
  /** Run the covert-encoding analysis (default true; the benchmark turns it off to measure its cost). */
  detectEncoding?: boolean;
  /** What to do when the data carries a covert encoding (default fail, exit 3). */
  onEncoded?: OnEncoded;
  /** `render` (default: offline) or `paraphrase` (a model rewrites each safety record; see engine/paraphrase.ts). */
  engine?: 'render' | 'paraphrase';
  /** The paraphrase engine's endpoint, model and limits (engine paraphrase). */
  paraphrase?: ParaphraseOptions;
  /** Write into a directory other users may write to (default false: refused). */
  allowSharedDir?: boolean;
  /** The most bytes read from standard input (`-`), which is spooled to a temp file (default 64 GiB). */
  maxStdinBytes?: number;
  /**
   * Progress of each step, done of total, ending at total: `profile` (the first pass, bytes),
   * `check` (the covert-encoding analysis, sampled records), `paraphrase` (records), `write` (the
   * second pass, bytes).
   */
  onProgress?: (phase: 'profile' | 'check' | 'write' | 'paraphrase', done: number, total: number | undefined) => void;
}

export interface MixResult {
  manifest: Manifest;
  manifestPath?: string;
  profile: Profile;
  /** The first rendered records as written, for the summary. */
  examples: { index: number; text: string }[];
  /** Safety records by category (also when the manifest's list was not kept in memory). */
  categories: Record<string, number>;
  /** A dry run: nothing was written (the manifest is the one a run would write). */
  dryRun?: true;
}

export { MAX_STDIN_BYTES, removeStaleSpools } from './spool.js';

export async function mixFile(inputPath: string, options: MixOptions): Promise<MixResult> {
  const spooled = inputPath === '-' ? await spoolInput(process.stdin, '<stdin>', options.maxStdinBytes) : undefined;
  try {
    return await mixPath(spooled?.path ?? inputPath, inputPath === '-' ? '<stdin>' : inputPath, options);
  } finally {
    spooled?.cleanup();
  }
}

/**
 * Records from memory or a stream (an async iterable, e.g. a database cursor): each is a JSON Lines
 * record, given as its text or bytes (taken byte for byte, one line) or as a value (written with
 * JSON.stringify, the one byte form a value has). They are spooled to a temp file, which mix reads
 * twice as it reads a file, and removed on any exit; the output and manifest go where `options` say.
 */
export async function mixRecords(
  records: AsyncIterable<string | Uint8Array | object> | Iterable<string | Uint8Array | object>,
  options: MixOptions & { displayName?: string },
): Promise<MixResult> {
  const name = options.displayName ?? '<records>';
  const spooled = await spoolInput(jsonLines(records, name), name, options.maxStdinBytes);
  try {
    return await mixPath(spooled.path, name, options);
  } finally {
    spooled.cleanup();
  }
}

async function mixPath(path: string, displayName: string, options: MixOptions): Promise<MixResult> {
  const choices = mixChoices(options);
  const { seed, order } = choices;
  // every path this run writes, checked against every path it reads and against each other
  const manifestPath = manifestPathOf(options);
  const modes = checkTargets({
    inputs: [{ path, role: 'input' }, ...(options.safety?.path ? [{ path: options.safety.path, role: '--safety file' }] : [])],
    outputs: [
      { path: options.output, role: 'output', flag: '-o', stdout: true },
      ...(manifestPath ? [{ path: manifestPath, role: 'manifest', flag: '--manifest' }] : []),
    ],
    allowSharedDir: options.allowSharedDir,
  });
  // a commit a killed run left half done (new manifest, old output) is finished first
  const recovered = manifestPath && options.output !== '-' && !options.dryRun ? completeInterruptedCommit(options.output, manifestPath) : undefined;
  // the input is read twice: its state now is checked after each pass
  const before = fingerprint(path, displayName);
  // pass 1: sample, profile, count
  const pass1 = await sampleDataset(path, {
    ...options,
    displayName,
    hash: true,
    // pass 2 checks that it read the same bytes against this CRC-32 (cheaper than a second sha256)
    checksum: true,
    seed,
    validate: true,
    trackNumbers: true,
    onProgress: options.onProgress && ((b, s) => options.onProgress!('profile', b, s)),
  });
  const { scan, sample, records, rejected, idMax, sampleCapped } = pass1;
  const file = scan.reader.name;
  // every step ends at its total (the reader reports every 10,000 records)
  const inputSize = scan.reader.size ?? scan.reader.bytesRead;
  options.onProgress?.('profile', inputSize, inputSize);
  await pausePoint('between-passes');
  assertUnchanged(path, file, before, 'during the first pass');
  if (rejected.length && !options.skipInvalid) {
    const r = rejected[0]!;
    throw new SafemixError('schema', `${rejected.length} record(s) cannot be used; the first: [${r.code}] ${r.message}`, {
      position: { file, line: r.line, row: r.row, record: r.index, field: r.field || undefined },
      hint: 'fix them (safemix validate lists every one), or pass --skip-invalid to leave them out; they are then listed in the manifest',
      exitCode: ExitCode.invalid,
    });
  }
  const usable = records - rejected.length;
  const dialect = scan.detection.dialect;
  const container = scan.reader.container;
  // the output is in the input's format (a Parquet input gives Parquet): a name that says otherwise is refused now
  checkOutputFormat(container, options.output, file);
  // covert encodings first: refuse, warn, or add safety examples in the same encoding (before any
  // output); encoded rows never teach the profile or serve as donors
  const policy = choices.onEncoded;
  options.onProgress?.('check', 0, sample.length);
  const encoding = options.detectEncoding === false ? skippedEncoding(sample.length) : analyzeSample(dialect, sample);
  options.onProgress?.('check', sample.length, sample.length);
  // the covert-encoding models are not needed past the analysis (see collectNow)
  releaseLanguageModels();
  collectNow();
  const encodingNotes = applyEncodingPolicy(encoding, policy, file);
  const scheme = mimicScheme(encoding, policy);
  // structure is learned from the records judged plain; when every sampled record is encoded there
  // are none, and the encoded records' structure is all there is (said in the notes)
  const plain = plainRecords(sample, encoding);
  const donors = plain.length ? plain : sample;
  if (!plain.length && sample.length)
    encodingNotes.push('every sampled record carries the encoding: safety records take their structure (system prompt, turns) from encoded records');
  const profile = buildProfile(donors, records, scan.detection, container, {
    seed,
    input: options.input,
    target: options.target,
    context: options.context,
    metadata: options.metadata,
  });
  // a closed label slot: its unsafe value, a named label, refusal text, no mixing, or declined by policy
  const closed = decideAnswerSlot(
    profile,
    donors.map((d) => d.value),
    choices.closedAnswers,
  );
  const closedSkip = closed.kind === 'skip';
  const k = closedSkip ? 0 : injectedCount(usable, { ratio: choices.ratio, count: choices.count, force: options.force, file });
  if (k > 0 && closed.kind === 'decline')
    throw new SafemixError('declined_by_policy', closed.message, { position: { file }, hint: closed.hint, exitCode: ExitCode.declined });
  if (k > 0 && donors.length === 0)
    throw new SafemixError('no_donor', 'the input has no usable record to take the structure from', {
      position: { file },
      hint: 'give a dataset with at least one valid record',
    });
  const total = scheme ? 2 * k : k;
  const layout = scan.reader.layout;
  const inputSha = scan.reader.sha256();
  const inputCrc = scan.reader.crc32();
  const inputBytes = scan.reader.bytesRead;

  // the planner decides every safety record: donor, language, request, refusal, fields
  const safety = options.safety?.path ? await loadSafetySource(options.safety) : undefined;
  // text in a covert scheme has no natural language to match: its twins' plain records are English unless --lang says otherwise
  const lang = options.lang ?? (scheme ? 'en' : undefined);
  // the form audit every safety record must pass, built from the user records of the sample
  const audit =
    total > 0
      ? new FormAudit(
          donors.map((d) => d.value),
          choices.audit,
          auditExemptions(
            profile,
            closed,
            !!scheme,
            donors.map((d) => d.value),
          ),
        )
      : undefined;
  const planner =
    total > 0
      ? new SafetyPlanner(profile, donors, idMax, container, {
          seed,
          inputSha,
          lang,
          safety,
          scheme,
          file,
          labelAnswer: closed.kind === 'label' ? closed.value : undefined,
          unanswerable: closed.kind === 'unanswerable',
          audit,
        })
      : undefined;
  // never silently English: data in languages not shipped offline is declined unless asked for
  const declined = planner && unshippedDecline(planner.unshippedLanguages(), { langFallback: options.langFallback, engine: choices.engine }, file);
  if (declined) throw declined;
  // balance examples beside the refusals, where the answer slot takes free text
  const balance = decideBalance(k, choices.balance, profile.answerSpace, {
    scheme: !!scheme,
    jsonTextKey: planner?.jsonTextKey,
    summary: planner?.summarises,
  });
  planner?.setBalance({ safety: total, balance: balance.count });
  const addedTotal = total + balance.count;
  const serialize = serializerFor(container, sample, {
    elementIndent: layout.elementIndent,
    columns: scan.reader.csv?.columns ?? [],
    delimiter: scan.reader.csv?.delimiter,
    inheritedKeys: layout.inheritedKeys,
  });
  // the paraphrase engine: a model rewrites every planned record, spooled in order, before any output
  const engine = options.dryRun ? 'render' : choices.engine;
  if (engine === 'paraphrase' && !options.paraphrase?.model)
    throw new SafemixError('usage', '--engine paraphrase needs --model NAME', {
      hint: 'name a model the endpoint serves, e.g. --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-7B-Instruct',
    });
  const paraphrase: ParaphraseRun | undefined =
    engine === 'paraphrase' && planner
      ? await (
          await import('../engine/paraphrase.js')
        ).runParaphrase(
          {
            planner,
            total: addedTotal,
            sampleSize: sample.length,
            container,
            serialize,
            seed,
            file,
            onProgress: options.onProgress && ((d, t) => options.onProgress!('paraphrase', d, t)),
          },
          options.paraphrase!,
        )
      : undefined;

  // most sampled records' bytes are not needed past this point: they need not stay in memory
  // through pass 2 (the paraphrase engine quotes donors' bytes: it keeps them); nor pass 1's blocks
  if (!paraphrase) releaseDonorBytes(container, sample);
  collectNow();

  // pass 2: stream the user records through, placing planned records by the blend plan
  // a large output is hashed on the worker thread, as the input is
  const parallelHash = (scan.reader.size ?? 0) >= PARALLEL_MIN_BYTES;
  const out: ByteSink & { sha256(): string; bytesWritten: number } = options.dryRun
    ? new DiscardSink()
    : options.output === '-'
      ? new StdoutSink(undefined, parallelHash)
      : new AtomicFile(options.output, { ...modes.fileOptions(options.output), makeDirs: true, parallelHash });
  // standard output honours backpressure: a slow reader slows the run instead of filling memory
  const drained = async () => {
    if (out instanceof StdoutSink && out.needsDrain) await out.drain();
  };
  let manifestFile: AtomicFile | undefined;
  const injected: Manifest['injected'] = [];
  const balanceRecords: Manifest['injected'] = [];
  let spool: InjectedSpool | undefined;
  let balanceSpool: InjectedSpool | undefined;
  let added = 0;
  const categories: Record<string, number> = {};
  const fieldMaps = new Interner<Manifest['injected'][number]['fields']>();
  const examples: MixResult['examples'] = [];
  let outputIndex = 0;
  try {
    if (options.keepInjected === false && total > 0) {
      // a killed run's spool is swept first, as the shuffle index's is
      removeStaleSpools();
      spool = new InjectedSpool();
      if (balance.count > 0) balanceSpool = new InjectedSpool();
    }
    // pass 2 copies bytes: pass 1 already parsed, checked and listed every record. A record's bytes
    // are passed on (or their position noted) by the time the record after it is, so the read
    // blocks can be reused (ReadOptions.reuseBlocks)
    const pass2 = await openScan(path, {
      ...options,
      displayName,
      container,
      recordPath: scan.reader.layout.recordPath,
      format: dialect,
      header: scan.reader.csv?.header,
      delimiter: scan.reader.csv?.delimiter,
      parse: false,
      checksum: true,
      reuseBlocks: true,
    });
    // pass 2 must read exactly what pass 1 read: same records, same bytes (same size, times and
    // CRC-32: a change between the passes, by accident or by a process writing the file, is
    // caught; the CRC is not a defence against someone forging a collision, who could as well
    // write the output)
    let pass2Records = 0;
    const checkPass2 = (when: string) => {
      assertUnchanged(path, file, before, when);
      if (pass2Records !== records) throw inputChanged(file, `the input held ${records} records in the first pass and ${pass2Records} in the second`);
      if (pass2.reader.crc32() !== inputCrc) throw inputChanged(file, "the input's bytes differ between the two passes");
    };
    const rejectedAt = new Set(rejected.map((r) => r.index));
    // a Parquet file is written row by row in its schema (write/parquet-sink.ts), any other file byte by byte
    const sink = container === 'parquet' ? new ParquetSink(out, pass2.reader.parquet!, file, TOOL) : new RecordSink(out, layout);
    const plan = new BlendPlan(usable, addedTotal, order, `${seed}:${inputSha}`);
    const writeInjected = () => {
      const r = paraphrase ? paraphrase.take(outputIndex) : planner!.next();
      const bytes = 'bytes' in r ? r.bytes : serialize(r.value);
      sink.writeGenerated(bytes);
      const entry = recordEntry(r, outputIndex) as Manifest['injected'][number];
      const isBalance = 'balance' in r && r.balance === true;
      if (!isBalance) categories[entry.category] = (categories[entry.category] ?? 0) + 1;
      added++;
      const listSpool = isBalance ? balanceSpool : spool;
      if (listSpool) listSpool.add(entry);
      else {
        entry.fields = fieldMaps.of(entry.fields);
        (isBalance ? balanceRecords : injected).push(entry);
      }
      if (examples.length < 3) examples.push({ index: outputIndex, text: bytes });
      outputIndex++;
    };
    const due = progressGate();
    if (order === 'shuffle') removeStaleSpools();
    pass2Records = await writeBlended({
      path,
      file,
      batches: pass2.batches,
      sink,
      plan,
      order,
      stream: `${seed}:${inputSha}`,
      rejectedAt,
      planned: addedTotal,
      written: () => added,
      writeInjected,
      userWritten: () => void outputIndex++,
      pause: 'pass2',
      progress: (seen) => {
        pass2Records = seen;
        if (options.onProgress && due(seen)) {
          options.onProgress('write', pass2.reader.bytesRead, pass2.reader.size);
        }
      },
      drained,
      afterScan: (seen) => {
        pass2Records = seen;
        checkPass2('between the two passes');
      },
    });
    options.onProgress?.('write', pass2.reader.size ?? pass2.reader.bytesRead, pass2.reader.size ?? pass2.reader.bytesRead);
    if (order === 'shuffle') assertUnchanged(path, file, before, 'while the shuffled records were read back');
    sink.end(pass2.reader.layout.suffix);
    if (order !== 'shuffle') checkPass2('during the second pass');
    const notes = [...notesFor(profile, planner, closed, balance, paraphrase !== undefined), ...encodingNotes];
    if (recovered)
      notes.push(
        `a run killed between renaming its manifest and its output had left ${options.output} behind its manifest; its finished output (${recovered}) was put in place before this run`,
      );
    if (sampleCapped)
      notes.push(`the records are large: the profile's sample holds ${sample.length} records, the most that fit in ${SAMPLE_MAX_BYTES / (1024 * 1024)} MiB`);
    if (paraphrase && paraphrase.fallbackShare > 0.2)
      notes.push(
        `warning: ${paraphrase.report.fallbacks} of ${paraphrase.report.records} paraphrased records (${Math.round(paraphrase.fallbackShare * 100)}%) fell back to the offline engine (their output indices are in the manifest); --max-fallback R makes this an error`,
      );
    const manifest: Manifest = buildManifest({
      input: { path: displayName, sha256: inputSha, bytes: inputBytes, records },
      output: { path: options.output === '-' ? '<stdout>' : options.output, sha256: out.sha256(), bytes: out.bytesWritten, records: outputIndex },
      container,
      recordPath: layout.recordPath,
      dialect,
      seed,
      ratio: recordedRatio(choices),
      count: total,
      order,
      engine,
      paraphrase: paraphrase?.report,
      safetySource: safety
        ? { kind: 'file', path: options.safety!.path, requests: safety.length, split: 'all' }
        : { kind: 'builtin', requests: trainSeeds().length, split: 'train' },
      profile: manifestProfile(profile, sample.length),
      notes,
      drawn: planner?.drawn,
      userRecords: usable,
      injected,
      balance:
        balance.share > 0 && total > 0
          ? {
              share: balance.share,
              count: balance.count,
              skipped: 'skipped' in balance ? balance.skipped : undefined,
              drawn: planner?.drawnBalance,
              records: balanceRecords,
            }
          : undefined,
      rejected,
      encoding: { verdict: encoding.verdict, summary: describeEncoding(encoding), policy },
      audit: audit?.summary(),
    });
    if (options.dryRun) {
      notes.push(
        `dry run: nothing was written; ${options.output === '-' ? 'standard output' : options.output} would hold ${outputIndex} records (sha256 ${manifest.output.sha256.slice(0, 12)}…)${choices.engine === 'paraphrase' ? "; the paraphrase engine was not called, the records are the offline engine's" : ''}`,
      );
      return { manifest, profile, examples, categories, dryRun: true };
    }
    if (manifestPath) {
      manifestFile = new AtomicFile(manifestPath, { ...modes.fileOptions(manifestPath), makeDirs: true });
      writeManifest(manifestFile, manifest, { ...(spool ? { injected: spool } : {}), ...(balanceSpool ? { balanceRecords: balanceSpool } : {}) });
    }
    // the output and its manifest land together or not at all
    commitTogether([...(manifestFile ? [manifestFile] : []), ...(out instanceof AtomicFile ? [out] : [])]);
    return { manifest, manifestPath, profile, examples, categories };
  } catch (e) {
    if (out instanceof AtomicFile) out.abort();
    manifestFile?.abort();
    throw writeError(e, options.output);
  } finally {
    spool?.close();
    balanceSpool?.close();
    paraphrase?.close();
  }
}

/** The manifest's path: `--manifest`, else `OUTPUT.manifest.json`; none for `--no-manifest` or stdout. */
function manifestPathOf(options: MixOptions): string | undefined {
  if (options.manifest === false || (options.output === '-' && !options.manifest)) return undefined;
  return options.manifest || `${options.output}.manifest.json`;
}

function notesFor(
  profile: Profile,
  planner: SafetyPlanner | undefined,
  closed: ClosedAnswerDecision,
  balance: BalanceDecision,
  paraphrased: boolean,
): string[] {
  const notes: string[] = [];
  if ('skipped' in balance && planner) notes.push(balance.skipped);
  else if (balance.count > 0)
    notes.push(
      `${balance.count} balance example(s) added beside the safety records: safe-but-sensitive prompts answered helpfully in the task's format (--balance ${balance.share}; listed apart in the manifest's balanceRecords)`,
    );
  const a = profile.answerSpace;
  if (closed.kind === 'skip' || closed.kind === 'refuse' || closed.kind === 'label' || closed.kind === 'unanswerable') notes.push(closed.note);
  else if (a.kind === 'number') notes.push('the answers are numbers; safety records answer with refusal text, so the answer space is extended');
  else if (a.kind === 'choice')
    notes.push(
      `the answers are choice letters (${a.letters.join(', ')}); where the options are listed, a safety question gets a refusal option and its letter is the answer, else the answer is refusal text (the answer space is extended)`,
    );
  if (planner?.dialogueEvidence)
    notes.push(
      `dialogue summaries: ${planner.dialogueEvidence}; safety records are dialogues in the data's speaker tags in which the second speaker declines, summarised in the third person`,
    );
  if (planner?.toolCalling && profile.dialect === 'openai-chat')
    notes.push(
      paraphrased
        ? 'tool-calling chats: where the donor calls a tool, the model wrote a benign tool round (request, call of a declared tool, result, reply) before the safety request'
        : "tool-calling chats: the safety records refuse without a tool call, after plain benign rounds; with --engine paraphrase a model writes a benign tool round (a call of one of the record's tools, its result and the reply) before the request",
    );
  if (planner) {
    const langs = Object.entries(planner.drawn.languages)
      .map(([l, n]) => `${l} ${n}`)
      .join(', ');
    if (langs) notes.push(`languages of the safety records: ${langs}`);
    if (planner.drawn.languageFallbacks)
      notes.push(`${planner.drawn.languageFallbacks} safety record(s) are in English because their donor's language is not shipped`);
  }
  if (profile.language.translation)
    notes.push(
      `a translation pair (${profile.language.translation.source} → ${profile.language.translation.target}): requests in the source language, refusals in the target language`,
    );
  if (profile.style.request.evidence !== 'ordinary casing and spacing')
    notes.push(`requests are written in the data's style: ${profile.style.request.evidence}`);
  if (profile.riskSignals.length) notes.push(`risk signals in the data: ${profile.riskSignals.map((s) => s.id).join(', ')}`);
  return notes;
}
