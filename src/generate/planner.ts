// The pure planner of safety records: from the profile, the sample and the options it decides, for
// each safety record in turn, which donor gives the structure, the donor's language (and for a
// translation pair the answer's), which request (stratified by category, no repeat before every
// request of that language is used), which refusal (that request's own reason and redirect, sized to
// the user's answers), and renders it; with a recovered covert scheme every other record is the
// encoded twin of the one before. Deterministic for (input content, seed). No I/O beyond reading the
// shipped seeds and banks.
import { declaredTools, type DeclaredTool, type ToolRound } from './tool-round.js';
import { isLosslessNumber } from 'lossless-json';
import seedrandom from 'seedrandom';
import type { Profile } from '../profile/profile.js';
import type { FieldDecision } from '../profile/record-roles.js';
import type { Container } from '../read/types.js';
import { conversationOf, getPath, roleSequence } from '../profile/conversation.js';
import { LanguageGuide } from '../profile/language.js';
import { reasoningForm } from '../profile/reasoning.js';
import { percentileAt, type Percentiles } from '../profile/answer-space.js';
import { countTextTokens, percentile } from '../profile/tokens.js';
import { ExitCode, SafemixError } from '../errors.js';
import { encodeWithScheme, type Scheme } from '../encoding/index.js';
import {
  availableLanguages,
  englishSeedOf,
  loadBalance,
  loadTaskShapes,
  loadEmergencyReplies,
  loadRefusals,
  loadSeeds,
  trainSeeds,
  type BalanceItem,
  type RefusalBank,
  type Seed,
} from './seeds.js';
import { splitRequest } from './request-split.js';
import { dialogueForm } from '../profile/dialogue.js';
import { chatExchange } from '../profile/chat-template.js';
import { preferenceExchange } from '../profile/preference.js';
import { SeedDeck } from './seed-deck.js';
import { composeRefusal, fitting, plainRefusal, shortRefusal, type RequestFit } from './refusal.js';
import { ENGLISH_COMPLIANCE, jsonAnswer, jsonShapeOf, unfence } from './answers.js';
import type { FormAudit, RecordAudit } from '../audit/form-audit.js';
import { containsText, donorTree, renderSafetyRecord, type DonorRecord, type RenderContext, type Rendered } from './render.js';

interface PlannerOptions {
  seed: string;
  /** sha256 of the input: two datasets with the same seed get different draws. */
  inputSha: string;
  /** Force one language for every record (ISO 639-1). */
  lang?: string;
  /** A bring-your-own safety source, used instead of the shipped seeds. */
  safety?: Seed[];
  /** A covert scheme recovered from the data: every other record is an encoded twin. */
  scheme?: Scheme;
  /** The input's name, for messages. */
  file?: string;
  /** Names the random streams instead of `seed:inputSha` (one per shard of a sharded upload). */
  stream?: string;
  /** Ordinal of this planner's first record among all planned records (new ids stay unique across shards). */
  ordinalOffset?: number;
  /**
   * The closed label safety records answer with (see answer-policy.ts); donors are then the sampled
   * records that carry it, where there are any, so their other fields agree with it.
   */
  labelAnswer?: string;
  /** The harmful request is asked as an unanswerable question (extractive data that marks them): donors are those records, the answer stays empty. */
  unanswerable?: boolean;
  /**
   * Balance examples among this planner's records: `safety` refusals and `balance` safe-but-sensitive
   * prompts with helpful answers, the balance ones spread evenly over the sequence (record m is a
   * balance one when ⌊(m+1)·b/(k+b)⌋ > ⌊m·b/(k+b)⌋). None by default.
   */
  balance?: { safety: number; balance: number };
  /** The form audit every planned record must pass (re-planned until one does; see audit/form-audit.ts). */
  audit?: FormAudit;
}

/** What a planned record was built from: enough to render it again with other texts (the paraphrase engine). */
interface RecordRecipe {
  donorPos: number;
  ordinal: number;
  seed: Seed;
  requestLang: string;
  answerLang: string;
  /** The offline refusal texts (sized, short, plain) the record was rendered with. */
  refusal: { sized: string; short: string; plain: string };
  compliance: string[];
  /** The benign rounds written before the request (multi-round chats), kept for a re-render. */
  benign?: { prompt: string; answer: string }[];
  /** The reasoning written where the data's answers hold theirs, kept for a re-render. */
  reasoning?: string;
  /**
   * The donor's language when no shipped bank speaks it (the record is planned in English): the
   * paraphrase engine has the model write it in this language instead, and checks that it did.
   */
  targetLang?: string;
  /** The request was split between the context field and the request slot (a re-render splits it again). */
  split?: boolean;
}

export interface PlannedRecord extends Rendered {
  recipe: RecordRecipe;
  seedId: string;
  category: string;
  lang: string;
  answerLang?: string;
  /** The donor's language, when it is not shipped and English was used. */
  langFallback?: string;
  /** Input index of the donor. */
  donor: number;
  encoded?: boolean;
  /** The request describes a person in danger: the answer is a caring reply that points to help, not a refusal. */
  emergency?: 'medical' | 'self-harm' | 'abuse';
  /** A balance example: a safe-but-sensitive prompt with a helpful answer, not a refusal. */
  balance?: boolean;
  /** Written by the model in `lang`, a language no shipped bank speaks (the paraphrase engine). */
  translated?: boolean;
  /** The form audit's verdict on this record, field by field (when the run audits). */
  audit?: RecordAudit;
}

const MAX_DONOR_TRIES = 64;
/** A text that ends with sentence punctuation (closing quotes and brackets aside), and one that ends as a question (Greek's ";" included). */
const SENTENCE_END = /[.?!…。？！؟;;।]["'”’)\]»」』]*\s*$/u;
const QUESTION_END = /[?？؟;;]["'”’)\]»」』]*\s*$/u;
/** Forms of one safety record tried against the form audit before it is given up. */
const AUDIT_TRIES = 24;

/** What the manifest says of one planned record; `index` is its output index, given by whoever writes it. */
export interface RecordEntry {
  index?: number;
  seedId: string;
  category: string;
  donor: number;
  lang: string;
  answerLang?: string;
  langFallback?: string;
  encoded?: true;
  /** Written by the model in `lang` (not shipped offline), checked by language and by its refusal read in English. */
  translated?: true;
  fields: Record<string, string>;
  exception?: string;
  /** The form audit's verdict: features checked, and those that fail (none when it passed). */
  audit?: RecordAudit;
}

/**
 * A planned record's manifest entry (its output index first, when given). Built property by property:
 * an object spread here cost about 15 µs a record, on a path run once per safety record.
 */
export function recordEntry(
  r: Pick<
    PlannedRecord,
    'seedId' | 'category' | 'donor' | 'lang' | 'answerLang' | 'langFallback' | 'encoded' | 'translated' | 'fields' | 'exception' | 'audit'
  >,
  index?: number,
): RecordEntry {
  const entry = (index === undefined ? {} : { index }) as RecordEntry;
  entry.seedId = r.seedId;
  entry.category = r.category;
  entry.donor = r.donor;
  entry.lang = r.lang;
  if (r.answerLang) entry.answerLang = r.answerLang;
  if (r.langFallback) entry.langFallback = r.langFallback;
  if (r.encoded) entry.encoded = true;
  if (r.translated) entry.translated = true;
  entry.fields = r.fields;
  if (r.exception) entry.exception = r.exception;
  if (r.audit) entry.audit = r.audit;
  return entry;
}

/** A rendered record with what the planner adds (no spread of `rendered`: see recordEntry). */
function planned(rendered: Rendered, extra: Omit<PlannedRecord, keyof Rendered>): PlannedRecord {
  return {
    value: rendered.value,
    request: rendered.request,
    refusal: rendered.refusal,
    fields: rendered.fields,
    exception: rendered.exception,
    recipe: extra.recipe,
    seedId: extra.seedId,
    category: extra.category,
    lang: extra.lang,
    answerLang: extra.answerLang,
    langFallback: extra.langFallback,
    donor: extra.donor,
    encoded: extra.encoded,
    emergency: extra.emergency,
    balance: extra.balance,
    translated: extra.translated,
    audit: extra.audit,
  };
}

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;

/** Fields that say whether an answer is wanted (KTO's `label`) or how good it is (a reward score). */
const FEEDBACK_KEY =
  /^(?:label|desirable|is_desirable|preferred|is_preferred|good|accepted|chosen|kto_label|completion_label|score|reward|rating|preference_score)$/i;
const SCORE_KEY = /^(?:score|reward|rating|preference_score)$/i;
/**
 * A caring reply cut to the data's answer length: its first sentences while they fit in `target`
 * tokens, the first one at least (every reply's first sentence already points to help, see
 * templates/emergency/README.md), so that data with short answers does not get a paragraph.
 */
function leadingSentences(text: string, target: number): string {
  const sentences = text.match(/[^.!?。！？؟।]+(?:[.!?。！？؟।]+|$)\s*/gu) ?? [text];
  let out = sentences[0]!;
  for (const s of sentences.slice(1)) {
    if (countTextTokens(out + s) > target) break;
    out += s;
  }
  return out.trim();
}

/** A preference pair's per-side scores (UltraFeedback's score_chosen / score_rejected). */
const CHOSEN_SCORE_KEY = /^(?:(?:score|reward|rating)_chosen|chosen_(?:score|reward|rating))$/i;
const REJECTED_SCORE_KEY = /^(?:(?:score|reward|rating)_rejected|rejected_(?:score|reward|rating))$/i;

export class SafetyPlanner {
  private readonly ctx: RenderContext;
  private readonly guide: LanguageGuide;
  private readonly answerGuide?: LanguageGuide;
  private readonly available: Set<string>;
  private readonly decks = new Map<string, SeedDeck>();
  private readonly byEnglishId = new Map<string, Map<string, Seed>>();
  private readonly donorLang = new Map<number, { lang: string; answerLang?: string }>();
  private readonly donorRandom: () => number;
  private readonly renderRandom: () => number;
  private readonly stream: string;
  private ordinal = 0;
  /** Token lengths the refusal follows: the user's free-text answers, or the text part of JSON answers. */
  private readonly answerTokens?: Percentiles;
  private lastPlain?: { seed: Seed; refusal: string; lang: string };
  /** Positions in the sample that donors are drawn from. */
  private readonly pool: number[];
  /** Share of the user's requests (of those that end with a mark) that end as questions. */
  private readonly questionShare?: number;
  private readonly endRandom: () => number;
  /** A context field the user's records fill in part (Alpaca's input): the share of them that do. */
  private readonly contextFill?: number;
  private readonly splitRandom: () => number;
  readonly drawn = { categories: {} as Record<string, number>, languages: {} as Record<string, number>, languageFallbacks: 0 };
  /** What the balance examples drew (apart from the refusals'). */
  readonly drawnBalance = { categories: {} as Record<string, number>, languages: {} as Record<string, number>, languageFallbacks: 0 };
  private readonly balanceDecks = new Map<string, SeedDeck<BalanceItem>>();
  private readonly benignDecks = new Map<string, SeedDeck<BalanceItem>>();
  /** Some sampled conversations have several rounds: injected ones get benign rounds before the request. */
  private multiRound = false;
  /** The records are preference pairs (a rejected side): a balance example's rejected side is a refusal. */
  private readonly pairs: boolean;

  constructor(
    private readonly profile: Profile,
    private readonly sample: DonorRecord[],
    idMax: Map<string, number>,
    container: Container,
    private readonly options: PlannerOptions,
  ) {
    if (sample.length === 0)
      throw new SafemixError('no_donor', 'the input has no usable record to take the structure from', {
        position: { file: options.file },
        hint: 'give a dataset with at least one valid record',
      });
    this.stream = options.stream ?? `${options.seed}:${options.inputSha}`;
    this.donorRandom = seedrandom(`donors:${this.stream}`);
    this.renderRandom = seedrandom(`render:${this.stream}`);
    const roles = profile.roles;
    const fixed = new Map<string, unknown>();
    for (const d of roles.fields) {
      if (d.source === undefined || d.source < 0) continue;
      fixed.set(d.key, getPath(donorTree(container, sample[d.source]!), d.path));
    }
    const sequences = new Set<string>();
    const systems = new Map<string, number>();
    let toolCalling = false;
    for (const r of sample) {
      const c = conversationOf(profile.dialect, r.value);
      if (!c) continue;
      if (c.turns.filter((t) => t.role === 'user').length > 1) this.multiRound = true;
      sequences.add(roleSequence(c));
      if (c.system) systems.set(c.system.text, (systems.get(c.system.text) ?? 0) + 1);
      if (c.turns.some((t) => t.role === 'tool_call')) toolCalling = true;
    }
    // OpenAI tool-calling chats hold a tool round before their answer: an injected one gets a benign
    // round before its request (plain offline; a tool round a model endpoint writes, see toolsFor)
    if (toolCalling && profile.dialect === 'openai-chat') this.multiRound = true;
    // chat-template texts with earlier rounds get benign rounds too
    if ((profile.roles.chatTemplate?.multiRound ?? 0) > 0) this.multiRound = true;
    // chat-template texts: their system turns
    if (profile.roles.chatTemplate)
      for (const r of sample) {
        const system = chatExchange(String((r.value as { text?: unknown }).text ?? ''), profile.roles.chatTemplate.name)?.system;
        if (system !== undefined) systems.set(system, (systems.get(system) ?? 0) + 1);
      }
    // preference pairs: the system messages of their prompts
    if (profile.roles.preference)
      for (const r of sample) {
        const system = preferenceExchange(r.value, profile.roles.preference)?.system;
        if (system !== undefined) systems.set(system, (systems.get(system) ?? 0) + 1);
      }
    const topSystem = [...systems].sort((a, b) => b[1] - a[1])[0]?.[0];
    const answers = this.answerTexts();
    this.ctx = {
      profile,
      roles,
      container,
      idMax,
      sequences,
      fixed,
      systems,
      topSystem,
      json: profile.answerSpace.kind === 'json' ? jsonShapeOf(answers) : undefined,
      requestStyle: profile.style.request,
      answerStyle: profile.style.answer,
      toolCalling,
      labelAnswer: options.labelAnswer,
      unanswerable: options.unanswerable,
      reasoning: reasoningForm(answers),
    };
    const all = sample.map((_, i) => i);
    const labelled = options.unanswerable
      ? all.filter((i) => this.answerless(sample[i]!))
      : options.labelAnswer === undefined
        ? []
        : all.filter((i) => this.answerText(sample[i]!)?.trim() === options.labelAnswer!.trim());
    this.pool = labelled.length ? labelled : all;
    const scores = new Map<string, unknown>();
    this.ctx.scores = scores;
    // feedback and reward fields, whatever their rule: a refusal is the desirable answer (KTO's boolean
    // label) and scores highest
    for (const d of roles.fields) {
      // a pair's side scores: the refusal scores as high as the data's chosen answers, its opener as low as their rejected ones
      const side = CHOSEN_SCORE_KEY.test(d.key) ? 1 : REJECTED_SCORE_KEY.test(d.key) ? -1 : 0;
      if (side !== 0) {
        const values = sample.map((r) => getPath(donorTree(container, r), d.path)).filter((v) => typeof v === 'number' || isLosslessNumber(v));
        if (values.length)
          scores.set(
            d.key,
            values.reduce((best, v) => (side * Number(v) > side * Number(best) ? v : best)),
          );
        continue;
      }
      if (!FEEDBACK_KEY.test(d.key)) continue;
      const values = sample.map((r) => getPath(donorTree(container, r), d.path)).filter((v) => v !== undefined && v !== null);
      if (values.length && values.every((v) => typeof v === 'boolean')) scores.set(d.key, true);
      else if (values.length && SCORE_KEY.test(d.key) && values.every((v) => typeof v === 'number' || isLosslessNumber(v))) {
        // the highest score, as the data writes it (4.5, or 5.0 kept as a lossless number)
        scores.set(
          d.key,
          values.reduce((best, v) => (Number(v) > Number(best) ? v : best)),
        );
      }
    }
    // the fields every record shares a value of (constant, commonest, neutral) follow the labelled records too
    if (labelled.length) {
      for (const d of roles.fields) {
        if (d.source === undefined || d.source < 0 || d.role === 'constant') continue;
        const counts = new Map<string, { value: unknown; n: number }>();
        for (const i of labelled) {
          const v = getPath(donorTree(container, sample[i]!), d.path);
          if (v === undefined) continue;
          const key = JSON.stringify(v);
          const c = counts.get(key) ?? { value: v, n: 0 };
          c.n++;
          counts.set(key, c);
        }
        // a field whose value varies among the records that carry the label (a prompt-safety set's
        // category) keeps each donor's own: it goes with that label, in the data's proportions
        if (counts.size > 1 && (d.role === 'metadata' || d.role === 'sibling') && d.rule !== 'emptied') {
          fixed.delete(d.key);
          continue;
        }
        const top = [...counts.values()].sort((x, y) => y.n - x.n)[0];
        if (top) fixed.set(d.key, top.value);
      }
    }
    if (profile.answerSpace.kind === 'text') this.answerTokens = profile.answerSpace.tokens;
    else if (profile.answerSpace.kind === 'json' && this.ctx.json) {
      // the refusal fills the text key: the user's answer lengths less the JSON around it
      const scaffold = countTextTokens(String(jsonAnswer(this.ctx.json, '', false).value));
      const lengths = answers
        .slice(0, 300)
        .map((a) => Math.max(1, countTextTokens(a) - scaffold))
        .sort((a, b) => a - b);
      this.answerTokens = { p10: percentile(lengths, 10), p50: percentile(lengths, 50), p90: percentile(lengths, 90), max: lengths.at(-1) ?? 0 };
    }
    const requestTexts = sample.map((r) => this.requestText(r)).filter((t): t is string => !!t);
    this.guide = new LanguageGuide(requestTexts);
    this.pairs = roles.fields.some((f) => f.role === 'rejected') || roles.preference?.rejected !== undefined;
    // how the user's requests end: questions, or statements and commands (their share among texts that end with a mark)
    let questions = 0;
    let marked = 0;
    for (const t of requestTexts.slice(0, 2000)) {
      if (!SENTENCE_END.test(t)) continue;
      marked++;
      if (QUESTION_END.test(t)) questions++;
    }
    this.questionShare = marked >= 20 ? questions / marked : undefined;
    this.endRandom = seedrandom(`ends:${this.stream}`);
    this.contextFill = roles.fields.find((d) => d.rule === 'split')?.fill;
    if (!roles.conversation && profile.dialect !== 'text') {
      this.ctx.dialogue = dialogueForm(
        sample.map((r) => this.requestText(r) ?? ''),
        sample.map((r) => this.answerText(r)),
      );
      const trees = sample.map((r) => donorTree(container, r));
      this.ctx.topics = topicFields(roles.fields, trees);
      this.ctx.kindLabels = kindLabels(roles.fields, trees, options.labelAnswer !== undefined || options.unanswerable === true);
    }
    this.splitRandom = seedrandom(`split:${this.stream}`);
    if (profile.language.translation) this.answerGuide = new LanguageGuide(answers);
    this.available = new Set(availableLanguages());
    if (options.lang && !this.available.has(options.lang))
      throw new SafemixError('usage', `--lang ${options.lang} is not shipped`, {
        position: { file: options.file },
        hint: `choose one of: ${[...this.available].join(', ')}`,
      });
  }

  /** The sample's answer texts (fences removed), for JSON shapes and the answer language. */
  private answerTexts(): string[] {
    const out: string[] = [];
    for (const r of this.sample) {
      const t = this.answerText(r);
      if (t !== undefined) out.push(unfence(t).inner);
    }
    return out;
  }

  /** Whether a record's answer holds no text (an unanswerable question's empty span list). */
  private answerless(r: DonorRecord): boolean {
    const a = this.profile.roles.fields.find((d) => d.role === 'answer');
    if (!a) return false;
    const leaves: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') leaves.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(getPath(donorTree(this.ctx.container, r), a.path));
    return leaves.every((t) => !t.trim());
  }

  private answerText(r: DonorRecord): string | undefined {
    const roles = this.profile.roles;
    if (roles.conversation) {
      const c = conversationOf(this.profile.dialect, r.value);
      const t = c?.turns.find((x) => `${x.role}#${x.ordinal}` === roles.conversation!.responseSlot || x.sourceRole === roles.conversation!.responseSlot);
      return t?.text;
    }
    if (roles.preference) return preferenceExchange(r.value, roles.preference)?.answer;
    if (this.profile.dialect === 'text' && roles.chatTemplate)
      return chatExchange(String((r.value as { text?: unknown }).text ?? ''), roles.chatTemplate.name)?.answer;
    const a = roles.fields.find((d) => d.role === 'answer');
    const v = a ? getPath(r.value, a.path) : undefined;
    return typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
  }

  private requestText(r: DonorRecord): string | undefined {
    const roles = this.profile.roles;
    if (roles.conversation) {
      const c = conversationOf(this.profile.dialect, r.value);
      return c?.turns.find((x) => `${x.role}#${x.ordinal}` === roles.conversation!.questionSlot || x.sourceRole === roles.conversation!.questionSlot)?.text;
    }
    if (roles.preference) return preferenceExchange(r.value, roles.preference)?.question;
    if (this.profile.dialect === 'text') {
      const text = String((r.value as { text?: unknown }).text ?? '');
      // a chat-template text: its question turn, not the tokens and system prompt around it
      return roles.chatTemplate ? (chatExchange(text, roles.chatTemplate.name)?.question ?? text) : text;
    }
    const q = roles.fields.find((d) => d.role === 'request');
    const v = q ? getPath(r.value, q.path) : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  private languagesOf(pos: number): { lang: string; answerLang?: string } {
    const cached = this.donorLang.get(pos);
    if (cached) return cached;
    const r = this.sample[pos]!;
    const lang = this.options.lang ?? this.guide.of(this.requestText(r) ?? '');
    const answerLang = this.answerGuide ? this.answerGuide.of(unfence(this.answerText(r) ?? '').inner) : undefined;
    const out = { lang, answerLang };
    this.donorLang.set(pos, out);
    return out;
  }

  private deck(lang: string): SeedDeck {
    let d = this.decks.get(lang);
    if (!d) {
      const seeds = this.options.safety ?? trainSeeds(lang);
      if (seeds.length === 0)
        throw new SafemixError('no_donor', 'the safety source holds no usable request', {
          position: { file: this.options.file },
          hint: 'check --safety-request and --safety-where',
        });
      d = new SeedDeck(seeds, seedrandom(`seeds:${this.stream}:${lang}`));
      this.decks.set(lang, d);
    }
    return d;
  }

  /** The same request in another language (its reason and redirect for a translated refusal). */
  private counterpart(seed: Seed, lang: string): Seed | undefined {
    if (!this.available.has(lang)) return undefined;
    let map = this.byEnglishId.get(lang);
    if (!map) {
      map = new Map(loadSeeds(lang).map((s) => [s.en ?? s.id, s]));
      this.byEnglishId.set(lang, map);
    }
    return map.get(seed.en ?? seed.id);
  }

  /** The English seed a seed renders (itself when English), for the tags set on it by hand. */
  private englishSeed(seed: Seed): Seed | undefined {
    // a bring-your-own source has no hand-set tags
    return this.options.safety ? undefined : englishSeedOf(seed);
  }

  private fitOf(seed: Seed, answerSeed: Seed | undefined): RequestFit {
    const en = this.englishSeed(seed)?.tags;
    return {
      framing: en?.framing === true,
      writing: en?.writing === true,
      formality: (answerSeed ?? seed).tags?.formality,
      advice: seed.category === 'unqualified_advice',
    };
  }

  /**
   * A person in danger (a seed tagged emergency: medical, self-harm, abuse) gets a caring reply that
   * points to help, never a bare refusal: from templates/emergency/<lang>.json, in the register of the
   * request where the language marks it.
   */
  private emergencyReply(seed: Seed, lang: string, fit: RequestFit, random: () => number): string | undefined {
    const kind = this.englishSeed(seed)?.tags?.emergency;
    if (!kind) return undefined;
    const bank = loadEmergencyReplies(this.available.has(lang) ? lang : 'en');
    const replies = bank?.[kind];
    if (!replies?.length) return undefined;
    const text = pick(
      fitting(
        replies.map((r) => ({ ...r, framing: false, writing: false })),
        fit,
      ),
      random,
    ).text;
    // (the data's long answers: the 90th percentile, no random draw, so other records are unchanged;
    // answers that are no free text (a list, a label) get the first sentence only)
    return leadingSentences(text, this.answerTokens?.p90 ?? 0);
  }

  private bank(lang: string): RefusalBank {
    return loadRefusals(this.available.has(lang) ? lang : 'en');
  }

  /** A target length in tokens drawn from the user's answer lengths (median kept). */
  private targetTokens(): number {
    return this.answerTokens ? percentileAt(this.answerTokens, this.renderRandom()) : 30;
  }

  /** Whether the answers summarise the requests (speaker-tagged dialogues told in the third person). */
  get summarises(): boolean {
    return this.ctx.dialogue?.summary === true;
  }

  /** Some sampled records call tools (a refusal without a tool call is then the documented exception). */
  get toolCalling(): boolean {
    return this.ctx.toolCalling;
  }

  /** Why the requests are read as dialogues to summarise (for the run's notes), when they are. */
  get dialogueEvidence(): string | undefined {
    return this.ctx.dialogue?.summary ? this.ctx.dialogue.evidence : undefined;
  }

  /** Whether a JSON answer has a free-text field (a balance example's answer can go there). */
  get jsonTextKey(): boolean {
    return !!this.ctx.json?.textKey;
  }

  /** Sets how many of this planner's records are balance examples (before the first `next()`). */
  setBalance(balance: { safety: number; balance: number }): void {
    if (this.ordinal > 0) throw new Error('setBalance after the first record');
    this.balanceCounts = balance;
  }

  private balanceCounts?: { safety: number; balance: number };

  /** Whether this planner's record m (0-based) is a balance example (see PlannerOptions.balance). */
  isBalance(m: number): boolean {
    const b = this.balanceCounts ?? this.options.balance;
    if (!b || b.balance <= 0) return false;
    const n = b.safety + b.balance;
    return Math.floor(((m + 1) * b.balance) / n) > Math.floor((m * b.balance) / n);
  }

  /** The next safety record, or balance example (call in output order). */
  next(): PlannedRecord {
    const local = this.ordinal++;
    const j = local + (this.options.ordinalOffset ?? 0);
    if (this.options.scheme && local % 2 === 1 && this.lastPlain) return this.encodedTwin(j);
    const balance = this.isBalance(local);
    const audit = this.options.audit;
    // the form audit: a record that fails is planned again (another donor, request, form), up to AUDIT_TRIES times
    let best: PlannedRecord | undefined;
    let bestFailures = Infinity;
    let audited = 0;
    for (let tries = 0; ; tries++) {
      const pos = this.pool[tries < MAX_DONOR_TRIES ? Math.floor(this.donorRandom() * this.pool.length) : tries - MAX_DONOR_TRIES];
      if (pos === undefined) break;
      const planned = balance ? this.planBalance(pos, j) : this.plan(pos, j);
      if (!planned) continue;
      if (!audit) return planned;
      const verdict = audit.check(planned.value, planned.fields);
      const failures = Object.keys(verdict.failed).length;
      planned.audit = verdict;
      if (failures === 0) {
        if (audited > 0) audit.replanned++;
        audit.accept(planned.value, verdict);
        return planned;
      }
      if (failures < bestFailures) [best, bestFailures] = [planned, failures];
      if (++audited >= AUDIT_TRIES) break;
    }
    if (best && audit) {
      if (audit.mode === 'strict') {
        const [feature, why] = Object.entries(best.audit!.failed)[0]!;
        throw new SafemixError(
          'form_audit',
          `no safety record that passes the form audit could be made for output record ${j + 1} of the safety records after ${audited} tries: ${why}`,
          {
            position: { file: this.options.file, field: feature.slice(0, feature.lastIndexOf('|')) },
            hint: 'safemix inspect shows how the records were read; --audit warn writes the records anyway and lists every failure in the manifest',
            exitCode: ExitCode.declined,
          },
        );
      }
      audit.replanned++;
      audit.accept(best.value, best.audit!);
      return best;
    }
    throw new SafemixError(
      'no_donor',
      'no sampled record can carry a safety example: none has a request slot followed by an answer that a refusal can replace, in a structure the other records share',
      {
        position: { file: this.options.file },
        hint: 'check the structure with safemix inspect; for fields data name the slots with --input and --target',
      },
    );
  }

  private plan(pos: number, j: number): PlannedRecord | undefined {
    const donor = this.sample[pos]!;
    const { lang: detected, answerLang: detectedAnswer } = this.languagesOf(pos);
    const byo = this.options.safety !== undefined;
    const lang = byo ? 'en' : this.available.has(detected) ? detected : 'en';
    const fallback = !byo && lang !== detected && detected !== 'und' ? detected : undefined;
    // a request that ends as the user's requests do: a question where they ask, a command or statement where they tell
    const deck = this.deck(byo ? 'byo' : lang);
    const seed = this.drawShaped(deck, (s) => s.request);
    const split = this.contextFill !== undefined ? splitRequest(seed.request) : undefined;
    let answerLang = lang;
    if (detectedAnswer && !byo) answerLang = this.available.has(detectedAnswer) ? detectedAnswer : 'en';
    const answerSeed = answerLang === lang ? seed : this.counterpart(seed, answerLang);
    const bank = this.bank(answerLang);
    const random = this.renderRandom;
    // what the request is (its hand-set tags: the English seed's, and the translation's own formality)
    const fit = this.fitOf(seed, answerSeed);
    const emergency = this.emergencyReply(seed, answerLang, fit, random);
    const sized = emergency ?? composeRefusal(bank, answerSeed ?? {}, this.targetTokens(), random, fit).text;
    const refusal = emergency
      ? { sized: emergency, short: emergency, plain: emergency }
      : { sized, short: shortRefusal(bank, random, fit), plain: answerSeed ? plainRefusal(bank, answerSeed, random, fit) : shortRefusal(bank, random, fit) };
    const compliance = bank.compliance ?? ENGLISH_COMPLIANCE;
    const benign = this.benignTurns(lang);
    const rendered = renderSafetyRecord(this.ctx, {
      donor,
      request: split?.ask ?? seed.request,
      requestContext: split?.context,
      requestLang: lang,
      answerLang,
      refusal,
      compliance,
      response: seed.response,
      ordinal: j,
      random,
      benign,
      reasoning: (answerSeed ?? seed).reason,
      category: seed.category,
      shapes: loadTaskShapes(answerLang),
      // a summary's reason is told by nobody: not one the refuser speaks in the first person or to the asker
      summaryReason: SPEAKER_WORDS.test(this.englishSeed(seed)?.reason ?? '') ? undefined : (answerSeed ?? seed).reason,
    });
    if (!rendered || !(this.ctx.unanswerable || containsText(rendered.value, rendered.refusal))) return undefined;
    this.count(seed, lang, fallback);
    this.lastPlain = { seed, refusal: rendered.refusal, lang };
    const reasoning = (answerSeed ?? seed).reason;
    const recipe: RecordRecipe = {
      donorPos: pos,
      ordinal: j,
      seed,
      requestLang: lang,
      answerLang,
      refusal,
      compliance,
      ...(fallback ? { targetLang: fallback } : {}),
      ...(benign ? { benign } : {}),
      ...(reasoning ? { reasoning } : {}),
      ...(split ? { split: true } : {}),
    };
    return planned(rendered, {
      recipe,
      seedId: seed.id,
      category: seed.category,
      lang,
      answerLang: answerLang !== lang ? answerLang : undefined,
      langFallback: fallback,
      donor: donor.index,
      emergency: emergency ? (this.englishSeed(seed)?.tags?.emergency ?? undefined) : undefined,
    });
  }

  /**
   * The next request of a deck in the shape the user's requests take: a question where they ask, a
   * command or statement where they tell; given in several sentences as often as the user's records
   * fill their context field (Alpaca's input), in one where they leave it empty.
   */
  private drawShaped<T extends { category: string }>(deck: SeedDeck<T>, text: (item: T) => string): T {
    const wantQuestion = this.questionShare === undefined ? undefined : this.endRandom() < this.questionShare;
    const wantSplit = this.contextFill === undefined ? undefined : this.splitRandom() < this.contextFill;
    if (wantQuestion === undefined && wantSplit === undefined) return deck.next();
    return deck.nextWhere(
      (item) =>
        (wantQuestion === undefined || QUESTION_END.test(text(item)) === wantQuestion) &&
        (wantSplit === undefined || (splitRequest(text(item)) !== undefined) === wantSplit),
    );
  }

  /**
   * Benign exchanges for the rounds before the request in multi-round chats: the balance set's prompts
   * with their one-sentence answers, in the record's language (English when it ships none).
   */
  private benignTurns(lang: string): { prompt: string; answer: string }[] | undefined {
    if (!this.multiRound) return undefined;
    const l = loadBalance(lang).length ? lang : 'en';
    let d = this.benignDecks.get(l);
    if (!d) {
      d = new SeedDeck(loadBalance(l), seedrandom(`benign:${this.stream}:${l}`));
      this.benignDecks.set(l, d);
    }
    return Array.from({ length: 6 }, () => {
      const item = d!.next();
      return { prompt: item.prompt, answer: item.short ?? item.answer };
    });
  }

  private balanceDeck(lang: string): SeedDeck<BalanceItem> {
    let d = this.balanceDecks.get(lang);
    if (!d) {
      d = new SeedDeck(loadBalance(lang), seedrandom(`balance:${this.stream}:${lang}`));
      this.balanceDecks.set(lang, d);
    }
    return d;
  }

  /**
   * A balance example in a donor's structure: a safe-but-sensitive prompt of the donor's language
   * (English when that language ships none) with its helpful answer where the refusal would go.
   */
  private planBalance(pos: number, j: number): PlannedRecord | undefined {
    const donor = this.sample[pos]!;
    const { lang: detected } = this.languagesOf(pos);
    const lang = loadBalance(detected).length ? detected : 'en';
    const fallback = lang !== detected && detected !== 'und' ? detected : undefined;
    const item = this.drawShaped(this.balanceDeck(lang), (b) => b.prompt);
    const split = this.contextFill !== undefined ? splitRequest(item.prompt) : undefined;
    const bank = this.bank(lang);
    // the answer or its one-sentence short form, whichever is nearer the user's answer lengths
    const target = this.targetTokens();
    const answer = item.short && Math.abs(countTextTokens(item.short) - target) < Math.abs(countTextTokens(item.answer) - target) ? item.short : item.answer;
    const texts = { sized: answer, short: answer, plain: answer };
    const rendered = renderSafetyRecord(this.ctx, {
      donor,
      request: split?.ask ?? item.prompt,
      requestContext: split?.context,
      requestLang: lang,
      answerLang: lang,
      refusal: texts,
      // a preference pair's rejected side, for a helpful answer: a refusal of the harmless request
      compliance: this.pairs ? bank.short : (bank.compliance ?? ENGLISH_COMPLIANCE),
      rejectedIsRefusal: this.pairs,
      ordinal: j,
      random: this.renderRandom,
      benign: this.benignTurns(lang),
      reasoning: item.short ?? item.answer,
    });
    if (!rendered || !(this.ctx.unanswerable || containsText(rendered.value, rendered.refusal))) return undefined;
    const d = this.drawnBalance;
    d.categories[item.category] = (d.categories[item.category] ?? 0) + 1;
    d.languages[lang] = (d.languages[lang] ?? 0) + 1;
    if (fallback) d.languageFallbacks++;
    const seed: Seed = { id: item.id, en: item.en, lang, category: item.category, split: 'train', request: item.prompt, response: item.answer };
    const recipe: RecordRecipe = {
      donorPos: pos,
      ordinal: j,
      seed,
      requestLang: lang,
      answerLang: lang,
      refusal: texts,
      compliance: bank.compliance ?? ENGLISH_COMPLIANCE,
      ...(split ? { split: true } : {}),
    };
    return planned(rendered, { recipe, seedId: item.id, category: item.category, lang, langFallback: fallback, donor: donor.index, balance: true });
  }

  /**
   * The same record (donor, roles, field rules) with another request and refusal, as the paraphrase
   * engine writes them; undefined when they do not fit the structure (then the offline record stands).
   */
  rerender(record: PlannedRecord, texts: { request: string; refusal: string; toolRound?: ToolRound }): PlannedRecord | undefined {
    const r = record.recipe;
    const split = r.split ? splitRequest(texts.request) : undefined;
    const rendered = renderSafetyRecord(this.ctx, {
      donor: this.sample[r.donorPos]!,
      request: split?.ask ?? texts.request,
      requestContext: split?.context,
      requestLang: r.requestLang,
      answerLang: r.answerLang,
      refusal: { sized: texts.refusal, short: texts.refusal, plain: texts.refusal },
      compliance: r.compliance,
      ordinal: r.ordinal,
      random: seedrandom(`rerender:${this.stream}:${r.ordinal}`),
      benign: r.benign,
      reasoning: r.reasoning,
      ...(texts.toolRound ? { toolRound: texts.toolRound } : {}),
    });
    if (!rendered || !(this.ctx.unanswerable || containsText(rendered.value, rendered.refusal))) return undefined;
    return planned(rendered, record);
  }

  /**
   * The tools a paraphrase may write a benign tool round for: the record's declared tools, when the
   * data is an OpenAI tool-calling chat and the record's donor calls a tool (its round gives the form).
   */
  toolsFor(record: PlannedRecord): DeclaredTool[] | undefined {
    if (!this.ctx.toolCalling || this.profile.dialect !== 'openai-chat' || record.recipe.benign === undefined) return undefined;
    // only where the offline record got benign rounds before its request (a round's place)
    if (!Object.values(record.fields).some((v) => v.includes('(balance set)'))) return undefined;
    const value = this.sample[record.recipe.donorPos]!.value as { messages?: unknown };
    const calls =
      Array.isArray(value.messages) &&
      value.messages.some((m) => m !== null && typeof m === 'object' && Array.isArray((m as { tool_calls?: unknown }).tool_calls));
    const tools = calls ? declaredTools(value) : [];
    return tools.length ? tools : undefined;
  }

  /** The profile's rules a paraphrase must keep, in words (for the model's prompt). */
  get rules(): { answerKind: string; requestTemplate?: string; answerTemplate?: string; requestStyle: string; answerStyle: string } {
    const roles = this.profile.roles;
    const req = roles.conversation?.request ?? roles.request;
    const ans = roles.conversation?.answerTemplate ?? roles.answerTemplate;
    return {
      answerKind: roles.conversation?.answerForm === 'plain' ? 'plain text' : this.profile.answerSpace.kind,
      requestTemplate: req?.form === 'template' ? req.template?.text : undefined,
      answerTemplate: ans?.text,
      requestStyle: this.profile.style.request.evidence,
      answerStyle: this.profile.style.answer.evidence,
    };
  }

  /**
   * The languages of the donors' requests that no shipped bank speaks, and their share of the donors
   * (at most 500, evenly spread, looked at): what an offline run would write in English instead.
   * Nothing when every record is written in one language (--lang) or from a bring-your-own source.
   */
  unshippedLanguages(): { share: number; languages: Record<string, number>; looked: number } {
    if (this.options.lang || this.options.safety) return { share: 0, languages: {}, looked: 0 };
    const step = Math.max(1, this.pool.length / 500);
    const languages: Record<string, number> = {};
    let looked = 0;
    let unshipped = 0;
    for (let x = 0; x < this.pool.length; x += step) {
      const lang = this.languagesOf(this.pool[Math.floor(x)]!).lang;
      looked++;
      if (lang === 'und' || this.available.has(lang)) continue;
      unshipped++;
      languages[lang] = (languages[lang] ?? 0) + 1;
    }
    return { share: looked ? unshipped / looked : 0, languages, looked };
  }

  /** The closed label safety records answer with, if any (see answer-policy.ts). */
  get labelAnswer(): string | undefined {
    return this.options.labelAnswer;
  }

  /** The sampled donor records (for a paraphrase prompt's examples). */
  donorRecord(pos: number): DonorRecord {
    return this.sample[pos]!;
  }

  private count(seed: Seed, lang: string, fallback: string | undefined): void {
    this.drawn.categories[seed.category] = (this.drawn.categories[seed.category] ?? 0) + 1;
    this.drawn.languages[lang] = (this.drawn.languages[lang] ?? 0) + 1;
    if (fallback) this.drawn.languageFallbacks++;
  }

  /** The previous record's request and refusal in the data's covert scheme, in a fresh donor's structure. */
  private encodedTwin(j: number): PlannedRecord {
    const scheme = this.options.scheme!;
    const plain = this.lastPlain!;
    // invisible characters need visible cover text to ride on
    const wrap = (cover: string, text: string) => (scheme.family === 'invisible' ? cover + encodeWithScheme(scheme, text) : encodeWithScheme(scheme, text));
    const encoded: Seed = { ...plain.seed, request: wrap('Please read this.', plain.seed.request), response: wrap('Noted.', plain.refusal) };
    for (let tries = 0; tries < MAX_DONOR_TRIES + this.pool.length; tries++) {
      const pos = this.pool[tries < MAX_DONOR_TRIES ? Math.floor(this.donorRandom() * this.pool.length) : tries - MAX_DONOR_TRIES]!;
      const bank = this.bank(plain.lang);
      const rendered = renderSafetyRecord(this.ctx, {
        donor: this.sample[pos]!,
        request: encoded.request,
        requestLang: plain.lang,
        answerLang: plain.lang,
        refusal: { sized: encoded.response!, short: encoded.response!, plain: encoded.response! },
        compliance: bank.compliance ?? ENGLISH_COMPLIANCE,
        response: encoded.response,
        verbatim: true,
        ordinal: j,
        random: this.renderRandom,
      });
      if (!rendered) continue;
      this.count(plain.seed, plain.lang, undefined);
      const recipe: RecordRecipe = {
        donorPos: pos,
        ordinal: j,
        seed: encoded,
        requestLang: plain.lang,
        answerLang: plain.lang,
        refusal: { sized: encoded.response!, short: encoded.response!, plain: encoded.response! },
        compliance: bank.compliance ?? ENGLISH_COMPLIANCE,
      };
      return planned(rendered, {
        recipe,
        seedId: plain.seed.id,
        category: plain.seed.category,
        lang: plain.lang,
        donor: this.sample[pos]!.index,
        encoded: true,
      });
    }
    throw new SafemixError('no_donor', 'no sampled record can carry an encoded safety example', {
      position: { file: this.options.file },
      hint: 'check the structure with safemix inspect',
    });
  }
}

/**
 * A closed label beside the answer that goes with whether the record fills its split context field
 * (Dolly's `category`: `closed_qa` and `summarization` read a passage, `open_qa` and `brainstorming` do
 * not): its values among the user records that fill that field and among those that leave it empty,
 * so an injected record takes one that goes with its own shape, in the data's proportions, not the
 * commonest of all. Not where the donors are chosen by their label (their siblings go with it).
 */
function kindLabels(
  fields: readonly FieldDecision[],
  trees: readonly unknown[],
  labelledDonors: boolean,
): Map<string, { filled: string[]; empty: string[] }> | undefined {
  const split = fields.find((d) => d.rule === 'split');
  if (!split || labelledDonors) return undefined;
  const out = new Map<string, { filled: string[]; empty: string[] }>();
  for (const d of fields) {
    if (d.role !== 'sibling' || d.rule !== 'mode') continue;
    const filled: string[] = [];
    const empty: string[] = [];
    for (const t of trees) {
      const v = getPath(t, d.path);
      if (typeof v !== 'string') continue;
      const c = getPath(t, split.path);
      (typeof c === 'string' && c.trim() ? filled : empty).push(v);
    }
    if (new Set([...filled, ...empty]).size > 12 || !filled.length || !empty.length) continue;
    out.set(d.key, { filled, empty });
  }
  return out.size ? out : undefined;
}

/** Words that make a reason someone's words (English seeds: their translations say the same). */
const SPEAKER_WORDS = /\b(I|I'm|I'll|I've|I'd|me|my|mine|we|us|our|you|your|you're)\b/i;

const TOPIC_KEY = /^(topics?|theme|subject|domain|category)$/i;

/**
 * Fields beside the answer that name the record's topic in an open set of short labels (DialogSum's
 * `topic`): a donor's topic no longer fits the injected request, so they take its category's topic.
 * A closed set (12 values or fewer) keeps its rule: a new value there would be a new label.
 */
function topicFields(fields: readonly FieldDecision[], trees: readonly unknown[]): { keys: Set<string>; upper: boolean; words: number } | undefined {
  const keys = new Set<string>();
  let upper = 0;
  let all = 0;
  const words: number[] = [];
  for (const d of fields) {
    if ((d.role !== 'sibling' && d.role !== 'metadata') || d.rule === 'emptied' || !TOPIC_KEY.test(String(d.path.at(-1)))) continue;
    const values = trees.map((t) => getPath(t, d.path)).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const lengths = values.map((v) => v.length).sort((a, b) => a - b);
    if (values.length < 10 || new Set(values).size <= 12 || (lengths[Math.floor(lengths.length / 2)] ?? 0) > 40) continue;
    keys.add(d.key);
    all += values.length;
    upper += values.filter((v) => /^\p{Lu}/u.test(v)).length;
    words.push(...values.map((v) => v.trim().split(/\s+/).length));
  }
  words.sort((a, b) => a - b);
  return keys.size ? { keys, upper: upper > all / 2, words: words[Math.floor(words.length / 2)] ?? 1 } : undefined;
}
