// `safemix mix` as a library call, the product's main job. Pass 1 samples and profiles the input;
// pass 2 streams the user's records through unchanged while the blend plan places rendered safety
// records among them; output and manifest are written atomically. Memory is bounded by the sample.
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { SafemixError, ExitCode } from '../errors.js';
import { buildProfile, type Profile } from '../profile/profile.js';
import { serializerFor } from '../write/serializer.js';
import { AtomicFile, commitTogether, writeError } from '../write/atomic-file.js';
import { assertUnchanged, checkTargets, fingerprint, inputChanged } from '../write/targets.js';
import { onAbort, pausePoint } from '../write/cleanup.js';
import { RecordSink, type ByteSink } from '../write/record-sink.js';
import { BlendPlan, injectedCount, type BlendOrder } from '../blend/plan.js';
import { SafetyPlanner } from '../generate/planner.js';
import { trainSeeds } from '../generate/seeds.js';
import { loadSafetySource, type SafetySourceOptions } from './safety-source.js';
import { openScan, type ScanOptions } from './scan.js';
import { DEFAULT_SEED, sampleDataset } from './inspect.js';
import type { Manifest } from './schemas.js';
import { analyzeSample, applyEncodingPolicy, describeEncoding, skippedEncoding, type OnEncoded } from './encoding-check.js';

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
  /** Allow more than 10 safety records per user record. */
  force?: boolean;
  /** Closed label sets: `refuse` (default) writes a refusal in the label slot, `skip` leaves the data unmixed. */
  closedAnswers?: 'refuse' | 'skip';
  /** Leave out records that fail the checks (listed in the manifest) instead of stopping. */
  skipInvalid?: boolean;
  safety?: SafetySourceOptions;
  /** Run the covert-encoding analysis (default true; the benchmark turns it off to measure its cost). */
  detectEncoding?: boolean;
  /** What to do when the data carries a covert encoding (default fail, exit 3). */
  onEncoded?: OnEncoded;
  onProgress?: (phase: 'profile' | 'write', bytesRead: number, size: number | undefined) => void;
}

export interface MixResult {
  manifest: Manifest;
  manifestPath?: string;
  profile: Profile;
  /** The first rendered records as written, for the summary. */
  examples: { index: number; text: string }[];
}

export const TOOL = 'safemix 0.1.0';

/** Copies standard input to a temp file so that it can be read twice; removed on any exit. */
async function spoolStdin(): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'safemix-stdin-'));
  const path = join(dir, 'stdin');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onAbort(remove);
  const cleanup = () => {
    unregister();
    remove();
  };
  try {
    const out = createWriteStream(path);
    let first = true;
    await pipeline(
      process.stdin,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          yield chunk;
          if (first) {
            first = false;
            await pausePoint('stdin-spool');
          }
        }
      },
      out,
    );
  } catch (e) {
    cleanup();
    throw new SafemixError('input_unreadable', `cannot read standard input (${(e as Error).message})`, { position: { file: '<stdin>' }, hint: 'check the command that feeds safemix' });
  }
  return { path, cleanup };
}

export async function mixFile(inputPath: string, options: MixOptions): Promise<MixResult> {
  const spooled = inputPath === '-' ? await spoolStdin() : undefined;
  try {
    return await mixPath(spooled?.path ?? inputPath, inputPath === '-' ? '<stdin>' : inputPath, options);
  } finally {
    spooled?.cleanup();
  }
}

async function mixPath(path: string, displayName: string, options: MixOptions): Promise<MixResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const order = options.order ?? 'interleave';
  // every path this run writes, checked against every path it reads and against each other
  const manifestPath = manifestPathOf(options);
  const modes = checkTargets({
    inputs: [{ path, role: 'input' }, ...(options.safety?.path ? [{ path: options.safety.path, role: '--safety file' }] : [])],
    outputs: [{ path: options.output, role: 'output', flag: '-o' }, ...(manifestPath ? [{ path: manifestPath, role: 'manifest', flag: '--manifest' }] : [])],
  });
  // the input is read twice: its state now is checked after each pass
  const before = fingerprint(path);
  // pass 1: sample, profile, count
  const pass1 = await sampleDataset(path, {
    ...options,
    displayName,
    hash: true,
    seed,
    validate: true,
    trackNumbers: true,
    onProgress: options.onProgress && ((b, s) => options.onProgress!('profile', b, s)),
  });
  const { scan, sample, records, rejected, idMax } = pass1;
  const file = scan.reader.name;
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
  const profile = buildProfile(sample, records, scan.detection, scan.reader.container, { seed, input: options.input, target: options.target, context: options.context, metadata: options.metadata });
  const closedSkip = options.closedAnswers === 'skip' && isClosed(profile);
  const k = closedSkip ? 0 : injectedCount(usable, { ratio: options.ratio, count: options.count, force: options.force, file });
  const dialect = scan.detection.dialect;
  const container = scan.reader.container;
  if (k > 0 && sample.length === 0) throw new SafemixError('no_donor', 'the input has no usable record to take the structure from', { position: { file }, hint: 'give a dataset with at least one valid record' });
  // covert encodings: refuse, warn, or add safety examples in the same encoding (before any output)
  const policy = options.onEncoded ?? 'fail';
  const encoding = options.detectEncoding === false ? skippedEncoding(sample.length) : analyzeSample(dialect, sample);
  const encodingNotes = applyEncodingPolicy(encoding, policy, file);
  const scheme = policy === 'mimic' && encoding.verdict === 'encoded' ? encoding.scheme : undefined;
  const total = scheme ? 2 * k : k;
  const layout = scan.reader.layout;
  const inputSha = scan.reader.sha256();
  const inputBytes = scan.reader.bytesRead;

  // the planner decides every safety record: donor, language, request, refusal, fields
  const safety = options.safety?.path ? await loadSafetySource(options.safety) : undefined;
  // text in a covert scheme has no natural language to match: its twins' plain records are English unless --lang says otherwise
  const lang = options.lang ?? (scheme ? 'en' : undefined);
  const planner = total > 0 ? new SafetyPlanner(profile, sample, idMax, container, { seed, inputSha, lang, safety, scheme, file }) : undefined;
  const serialize = serializerFor(container, sample, { elementIndent: layout.elementIndent, columns: scan.reader.csv?.columns ?? [], delimiter: scan.reader.csv?.delimiter });

  // pass 2: stream the user records through, placing planned records by the blend plan
  const out: ByteSink & { sha256(): string; bytesWritten: number } = options.output === '-' ? stdoutSink() : new AtomicFile(options.output, { mode: modes.get(options.output), makeDirs: true });
  let manifestFile: AtomicFile | undefined;
  const injected: Manifest['injected'] = [];
  const examples: MixResult['examples'] = [];
  let outputIndex = 0;
  try {
    // pass 2 copies bytes: pass 1 already parsed, checked and listed every record
    const pass2 = await openScan(path, { ...options, displayName, container, format: dialect, header: scan.reader.csv?.header, delimiter: scan.reader.csv?.delimiter, parse: false, hash: true });
    // pass 2 must read exactly what pass 1 read: same records, same bytes
    let pass2Records = 0;
    const checkPass2 = (when: string) => {
      assertUnchanged(path, file, before, when);
      if (pass2Records !== records) throw inputChanged(file, `the input held ${records} records in the first pass and ${pass2Records} in the second`);
      if (pass2.reader.sha256() !== inputSha) throw inputChanged(file, "the input's bytes differ between the two passes");
    };
    const rejectedAt = new Set(rejected.map((r) => r.index));
    const sink = new RecordSink(out, layout);
    const plan = new BlendPlan(usable, total, order, `${seed}:${inputSha}`);
    const writeInjected = () => {
      const r = planner!.next();
      const bytes = serialize(r.value);
      sink.writeGenerated(bytes);
      injected.push({
        index: outputIndex,
        seedId: r.seedId,
        category: r.category,
        donor: r.donor,
        lang: r.lang,
        ...(r.answerLang ? { answerLang: r.answerLang } : {}),
        ...(r.langFallback ? { langFallback: r.langFallback } : {}),
        ...(r.encoded ? { encoded: true } : {}),
        fields: r.fields,
        ...(r.exception ? { exception: r.exception } : {}),
      });
      if (examples.length < 3) examples.push({ index: outputIndex, text: bytes });
      outputIndex++;
    };
    let lastProgress = 0;
    const progress = (index: number) => {
      if (options.onProgress && index - lastProgress >= 10_000) {
        lastProgress = index;
        options.onProgress('write', pass2.reader.bytesRead, pass2.reader.size);
      }
    };
    if (order === 'shuffle') {
      // user records move too: keep 16 bytes per record (offset, length), then read them back by position
      const index = new RecordIndex();
      for await (const record of pass2.records) {
        pass2Records++;
        if (pass2Records === 2) await pausePoint('pass2');
        if (!rejectedAt.has(record.index)) index.add(record.offset, record.raw.length);
        progress(record.index);
      }
      checkPass2('between the two passes');
      const permutation = index.permutation(seedrandom(`shuffle:${seed}:${inputSha}`));
      const fd = openSync(path, 'r');
      try {
        for (let p = 0; p < permutation.length; p++) {
          while (plan.next()) writeInjected();
          sink.writeGenerated(index.read(fd, permutation[p]!));
          outputIndex++;
          // the read-back is synchronous: let signals in now and then
          if ((p & 0x3ff) === 0x3ff || p === 1) {
            if (p === 1) await pausePoint('shuffle-write');
            await new Promise((r) => setImmediate(r));
          }
        }
      } finally {
        closeSync(fd);
      }
      assertUnchanged(path, file, before, 'while the shuffled records were read back');
    } else {
      for await (const record of pass2.records) {
        pass2Records++;
        if (pass2Records === 2) await pausePoint('pass2');
        if (rejectedAt.has(record.index)) continue; // listed by pass 1
        while (plan.next()) writeInjected();
        sink.writeUser(record);
        outputIndex++;
        progress(record.index);
      }
    }
    while (injected.length < total) {
      plan.next();
      writeInjected();
    }
    sink.end(pass2.reader.layout.suffix);
    if (order !== 'shuffle') checkPass2('during the second pass');
    const notes = [...notesFor(profile, planner, closedSkip), ...encodingNotes];
    const manifest: Manifest = {
      tool: TOOL,
      input: { path: displayName, sha256: inputSha, bytes: inputBytes, records },
      output: { path: options.output === '-' ? '<stdout>' : options.output, sha256: out.sha256(), bytes: out.bytesWritten, records: outputIndex },
      container,
      dialect,
      seed,
      ratio: options.count !== undefined ? null : (options.ratio ?? 0.05),
      count: total,
      order,
      engine: 'render',
      safetySource: safety ? { kind: 'file', path: options.safety!.path, requests: safety.length, split: 'all' } : { kind: 'builtin', requests: trainSeeds().length, split: 'train' },
      profile: {
        request: `${profile.views.request.path} (${profile.views.request.slot})`,
        response: profile.views.response && `${profile.views.response.path} (${profile.views.response.slot})`,
        systemPrompts: profile.systemPrompts.kind,
        templates: profile.templates.filter((t) => t.prefix || t.suffix).slice(0, 8).map((t) => ({ slot: t.slot, text: t.text, coverage: t.coverage })),
        answerSpace: profile.answerSpace.kind,
        sample: sample.length,
      },
      notes,
      drawn: planner?.drawn ?? { categories: {}, languages: {}, languageFallbacks: 0 },
      userRecords: usable,
      injected,
      rejected,
      encoding: { verdict: encoding.verdict, summary: describeEncoding(encoding), policy },
    };
    if (manifestPath) {
      manifestFile = new AtomicFile(manifestPath, { mode: modes.get(manifestPath), makeDirs: true });
      manifestFile.write(JSON.stringify(manifest, null, 2) + '\n');
    }
    // the output and its manifest land together or not at all
    commitTogether([...(out instanceof AtomicFile ? [out] : []), ...(manifestFile ? [manifestFile] : [])]);
    return { manifest, manifestPath, profile, examples };
  } catch (e) {
    if (out instanceof AtomicFile) out.abort();
    manifestFile?.abort();
    throw writeError(e, options.output);
  }
}

/** The manifest's path: `--manifest`, else `OUTPUT.manifest.json`; none for `--no-manifest` or stdout. */
function manifestPathOf(options: MixOptions): string | undefined {
  if (options.manifest === false || (options.output === '-' && !options.manifest)) return undefined;
  return options.manifest || `${options.output}.manifest.json`;
}

/** Byte positions of the usable records, for --order shuffle: 16 bytes per record. */
class RecordIndex {
  private offsets = new Float64Array(1024);
  private lengths = new Float64Array(1024);
  size = 0;

  add(offset: number, length: number): void {
    if (this.size === this.offsets.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
    }
    this.offsets[this.size] = offset;
    this.lengths[this.size] = length;
    this.size++;
  }

  permutation(random: () => number): Uint32Array {
    const p = new Uint32Array(this.size);
    for (let i = 0; i < p.length; i++) p[i] = i;
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  read(fd: number, i: number): Buffer {
    const buf = Buffer.allocUnsafe(this.lengths[i]!);
    let got = 0;
    while (got < buf.length) got += readSync(fd, buf, got, buf.length - got, this.offsets[i]! + got);
    return buf;
  }
}

/** Standard output as the sink (no atomicity is possible there), hashed like a file. */
function stdoutSink(): ByteSink & { sha256(): string; bytesWritten: number } {
  const hash = createHash('sha256');
  const sink = {
    bytesWritten: 0,
    write(b: Buffer | string) {
      const buf = typeof b === 'string' ? Buffer.from(b) : b;
      sink.bytesWritten += buf.length;
      hash.update(buf);
      process.stdout.write(buf);
    },
    sha256: () => hash.copy().digest('hex'),
  };
  return sink;
}

/** Closed answers: a label set, choice letters or numbers. */
function isClosed(profile: Profile): boolean {
  const k = profile.answerSpace.kind;
  return k === 'label' || k === 'choice' || k === 'number';
}

function notesFor(profile: Profile, planner: SafetyPlanner | undefined, closedSkip: boolean): string[] {
  const notes: string[] = [];
  const a = profile.answerSpace;
  if (closedSkip) notes.push(`the answers are a closed ${a.kind} set: --closed-answers skip left the dataset unmixed (a refusal in the answer slot would extend the label space)`);
  else if (a.kind === 'label') notes.push(`the answers are a closed label set of ${a.labels.length}; safety records answer with refusal text, so the label space is extended (--closed-answers skip leaves such data unmixed)`);
  else if (a.kind === 'number') notes.push('the answers are numbers; safety records answer with refusal text, so the answer space is extended');
  else if (a.kind === 'choice') notes.push(`the answers are choice letters (${a.letters.join(', ')}); where the options are listed, a safety question gets a refusal option and its letter is the answer, else the answer is refusal text (the answer space is extended)`);
  if (planner) {
    const langs = Object.entries(planner.drawn.languages).map(([l, n]) => `${l} ${n}`).join(', ');
    if (langs) notes.push(`languages of the safety records: ${langs}`);
    if (planner.drawn.languageFallbacks) notes.push(`${planner.drawn.languageFallbacks} safety record(s) are in English because their donor's language is not shipped`);
  }
  if (profile.language.translation) notes.push(`a translation pair (${profile.language.translation.source} → ${profile.language.translation.target}): requests in the source language, refusals in the target language`);
  if (profile.style.request.lowercase || profile.style.request.tokenized) notes.push(`requests are written in the data's style: ${profile.style.request.evidence}`);
  if (profile.riskSignals.length) notes.push(`risk signals in the data: ${profile.riskSignals.map((s) => s.id).join(', ')}`);
  return notes;
}
