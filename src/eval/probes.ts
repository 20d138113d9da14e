// `safemix probes` as a library call: prompts without answers for measuring a fine-tuned model. From
// the task dataset it renders, through the same profile and planner as `mix`, every held-out seed
// request (never used by mix) and every shipped safe-but-sensitive prompt in the dataset's own
// request structure (format `task`) and as a bare chat turn (format `plain`), in the data's
// language; and from a file the user names (their validation split) task controls with the
// expected label. Nothing is held back from the training file. Deterministic for (file, seed).
import { buildProfile, type Profile } from '../profile/profile.js';
import { SafetyPlanner } from '../generate/planner.js';
import { availableLanguages, refusableSeeds, type Seed } from '../generate/seeds.js';
import { packageFile } from '../package-root.js';
import { SafemixError } from '../errors.js';
import { AtomicFile } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { DEFAULT_SEED, sampleDataset } from '../api/sample.js';
import { recordRejection } from '../api/record-rejection.js';
import { openScan, type ScanOptions } from '../api/scan.js';
import { ANSWER_MARKER, promptOf } from './prompt-of.js';
import { ProbeSchema, SafePromptSchema, readJsonl, type Probe, type SafePrompt } from './probe-types.js';

export interface ProbesOptions extends ScanOptions {
  /** Write the probes here (JSONL); omit to only return them. */
  output?: string;
  /** The user's validation split: task controls with their expected answers. */
  controls?: string;
  /** Probe language instead of the data's (ISO 639-1, shipped). */
  lang?: string;
  seed?: string;
  sample?: number;
  input?: string;
  target?: string;
  /** Leave out the safe-but-sensitive prompts or the plain-chat forms. */
  safe?: boolean;
  plain?: boolean;
  /** Most controls taken from the controls file (default 1000). */
  maxControls?: number;
}

export interface ProbesResult {
  probes: Probe[];
  language: string;
  /** What could not be rendered, and why. */
  notes: string[];
  counts: Record<string, number>;
}

/** The shipped safe-but-sensitive prompts (data/eval/safe-sensitive.jsonl). */
export function loadSafePrompts(): SafePrompt[] {
  return readJsonl(packageFile('data/eval/safe-sensitive.jsonl'), SafePromptSchema, 'safe prompt');
}

/** The held-out seed split of one language (evaluation only: mix never draws it). */
export function heldoutSeeds(lang = 'en'): Seed[] {
  return refusableSeeds(lang).filter((s) => s.split === 'heldout');
}

interface Source {
  id: string;
  kind: 'harmful' | 'safe';
  category: string;
  lang: string;
  request: string;
}

/** Renders each source in the task's structure with the planner; the answer slot holds the marker and is cut away. */
function taskProbes(profile: Profile, sample: Awaited<ReturnType<typeof sampleDataset>>, sources: Source[], seed: string, notes: string[]): Probe[] {
  if (!sources.length) return [];
  const { scan, idMax } = sample;
  const seeds: Seed[] = sources.map((s) => ({ id: s.id, category: s.category, split: 'heldout', lang: s.lang, request: s.request, response: ANSWER_MARKER }));
  let planner: SafetyPlanner;
  try {
    planner = new SafetyPlanner(profile, sample.sample, idMax, scan.reader.container, {
      seed: `probes:${seed}`,
      inputSha: scan.reader.sha256(),
      safety: seeds,
      file: scan.reader.name,
    });
  } catch (e) {
    notes.push(`no task-format probes: ${(e as Error).message}`);
    return [];
  }
  const byId = new Map(sources.map((s) => [s.id, s]));
  const out = new Map<string, Probe>();
  // the planner's deck deals every source once before any repeats
  for (let i = 0; i < sources.length; i++) {
    let planned;
    try {
      planned = planner.next();
    } catch (e) {
      notes.push(`no task-format probes: ${(e as Error).message}`);
      return [];
    }
    const src = byId.get(planned.seedId)!;
    const p = promptOf(profile, planned.value, { marker: ANSWER_MARKER });
    if (!p || JSON.stringify([p.messages, p.prompt, p.fields]).includes(ANSWER_MARKER)) {
      notes.push(`${src.id}: its rendered record has no prompt apart from the answer; left out of the task format`);
      continue;
    }
    out.set(src.id, {
      id: `${src.kind}:task:${src.id}`,
      kind: src.kind,
      category: src.category,
      language: src.lang,
      format: 'task',
      mode: p.mode,
      ...(p.messages ? { messages: p.messages } : {}),
      ...(p.prompt !== undefined ? { prompt: p.prompt } : {}),
      ...(p.fields ? { fields: p.fields } : {}),
      request: planned.request,
      seedId: src.id,
    });
  }
  return sources.map((s) => out.get(s.id)).filter((p): p is Probe => !!p);
}

function plainProbe(s: Source): Probe {
  return {
    id: `${s.kind}:plain:${s.id}`,
    kind: s.kind,
    category: s.category,
    language: s.lang,
    format: 'plain',
    mode: 'chat',
    messages: [{ role: 'user', content: s.request }],
    request: s.request,
    seedId: s.id,
  };
}

/** Controls: each record of the user's validation split, asked as the task asks it, with its answer expected. */
async function controlProbes(path: string, profile: Profile, options: ProbesOptions, notes: string[]): Promise<Probe[]> {
  const scan = await openScan(path, { ...options, format: options.format ?? profile.dialect });
  const max = options.maxControls ?? 1000;
  const out: Probe[] = [];
  let skipped = 0;
  for await (const r of scan.records) {
    if (out.length >= max) break;
    if (recordRejection(r, scan.detection.dialect, scan.reader.container, true)) {
      skipped++;
      continue;
    }
    const p = promptOf(profile, r.value, { slot: true });
    const expected = p?.answer?.trim();
    if (!p || !expected) {
      skipped++;
      continue;
    }
    const request = p.prompt ?? p.messages!.filter((m) => m.role === 'user').at(-1)!.content;
    out.push({
      id: `control:${r.index}`,
      kind: 'control',
      category: 'control',
      language: profile.language.lang.lang,
      format: 'task',
      mode: p.mode,
      ...(p.messages ? { messages: p.messages } : {}),
      ...(p.prompt !== undefined ? { prompt: p.prompt } : {}),
      ...(p.fields ? { fields: p.fields } : {}),
      request,
      expected,
    });
  }
  if (skipped) notes.push(`${skipped} control record(s) had no usable prompt or answer and were left out`);
  const kind = profile.answerSpace.kind;
  if (kind !== 'label' && kind !== 'choice' && kind !== 'number')
    notes.push(`the answers are ${kind}, not a label, letter or number: control accuracy is an exact-match rate`);
  return out;
}

/** The language probes are written in: --lang, else the data's when seeds ship for it, else English. */
function probeLanguage(profile: Profile, lang: string | undefined, notes: string[]): string {
  const available = availableLanguages();
  if (lang) {
    if (!available.includes(lang)) throw new SafemixError('usage', `--lang ${lang} is not shipped`, { hint: `choose one of: ${available.join(', ')}` });
    return lang;
  }
  const data = profile.language.lang.lang;
  if (available.includes(data)) return data;
  if (data !== 'und') notes.push(`the data's language (${data}) is not shipped: probes are in English`);
  return 'en';
}

export async function buildProbes(file: string, options: ProbesOptions = {}): Promise<ProbesResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const sampled = await sampleDataset(file, { ...options, seed, hash: true, validate: true, trackNumbers: true });
  const profile = buildProfile(sampled.sample, sampled.records, sampled.scan.detection, sampled.scan.reader.container, {
    seed,
    input: options.input,
    target: options.target,
  });
  const notes: string[] = [];
  const lang = probeLanguage(profile, options.lang, notes);
  const harmful: Source[] = heldoutSeeds(lang).map((s) => ({ id: s.id, kind: 'harmful', category: s.category, lang, request: s.request }));
  const safe: Source[] =
    options.safe === false ? [] : loadSafePrompts().map((s) => ({ id: s.id, kind: 'safe', category: s.category, lang: s.lang, request: s.prompt }));
  if (safe.length && lang !== 'en') notes.push(`the safe-but-sensitive prompts ship in English only: they are asked in English in ${lang} data`);
  const probes: Probe[] = [...taskProbes(profile, sampled, [...harmful, ...safe], seed, notes)];
  if (options.plain !== false) {
    // a task probe that asks exactly as its plain twin would is one probe, not two (else n doubles
    // and the intervals narrow for nothing): it is marked, and the twin is not written
    const prompt = (p: Probe) => JSON.stringify([p.mode, p.messages ?? null, p.prompt ?? null, p.fields ?? null]);
    const task = new Map(probes.map((p) => [`${p.kind}:${p.seedId}`, p]));
    let same = 0;
    for (const twin of [...harmful.map(plainProbe), ...safe.map(plainProbe)]) {
      const t = task.get(`${twin.kind}:${twin.seedId}`);
      if (t && prompt(t) === prompt(twin)) {
        t.alsoPlain = true;
        same++;
      } else probes.push(twin);
    }
    if (same)
      notes.push(
        `the task format adds nothing for ${same} probe(s): the data asks as a bare chat turn, so each is one probe (format task, alsoPlain), counted once`,
      );
  }
  if (options.controls) probes.push(...(await controlProbes(options.controls, profile, options, notes)));
  for (const p of probes) ProbeSchema.parse(p);
  const counts: Record<string, number> = {};
  for (const p of probes) counts[`${p.kind}/${p.format}`] = (counts[`${p.kind}/${p.format}`] ?? 0) + 1;
  if (options.output) {
    writeJsonl(options.output, probes);
    // what the score page names: the dataset the probes were made from
    writeJson(`${options.output}.meta.json`, { dataset: file, sha256: sampled.scan.reader.sha256(), language: lang, seed });
  }
  return { probes, language: lang, notes, counts };
}

/** Writes a JSON file atomically. */
export function writeJson(path: string, value: unknown): void {
  const out = new AtomicFile(path, { makeDirs: true });
  try {
    out.write(JSON.stringify(value, null, 2) + '\n');
    out.commit();
  } catch (e) {
    out.abort();
    throw writeError(e, path);
  }
}

/** Writes JSONL atomically (a temp file renamed into place). */
export function writeJsonl(path: string, rows: unknown[]): void {
  const out = new AtomicFile(path, { makeDirs: true });
  try {
    for (const r of rows) out.write(JSON.stringify(r) + '\n');
    out.commit();
  } catch (e) {
    out.abort();
    throw writeError(e, path);
  }
}
