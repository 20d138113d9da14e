// What a safety record may put in a closed answer slot (a label column, a class id). A refusal
// sentence in a label column is a new "label" that no user record has: it teaches the model nothing
// about refusing and gives the injected records away by their form. So:
// - a label set with a value that means unsafe / harmful / refuse (safe/unsafe, toxic, a `refuse`
//   class) gets that value for the harmful request (donors are then taken from the user records that
//   carry it, so sibling fields agree with it);
// - a label set without one (sentiment, topic, NLI, intent ids) is declined by policy, unless the
//   user names the label (`--closed-answers label=VALUE`), asks for free text anyway (`refuse`) or
//   to leave the data unmixed (`skip`).
// Pure: decided from the profile's answer space and the option.
import type { AnswerSpace } from '../profile/answer-space.js';
import type { Profile } from '../profile/profile.js';

/** `decline` (default), `refuse` (a refusal in the slot anyway), `skip` (no safety records), or a label. */
export type ClosedAnswers = 'decline' | 'refuse' | 'skip' | { label: string };

export type ClosedAnswerDecision =
  | { kind: 'open' }
  | { kind: 'refuse'; note: string }
  | { kind: 'skip'; note: string }
  | { kind: 'label'; value: string; note: string }
  /** Extractive answers whose file marks unanswerable questions (SQuAD 2.0): the harmful request is one. */
  | { kind: 'unanswerable'; note: string }
  | { kind: 'decline'; message: string; hint: string };

/** Label values that mean the request is unsafe, harmful or to be refused, in the languages of the seeds' users. */
const UNSAFE =
  /^(?:unsafe|not[ _-]?safe|harmful|harm|toxic|toxicity|dangerous|danger|malicious|jailbreak|attack|violation|violating|violates|policy[ _-]?violation|prohibited|disallowed|forbidden|refuse|refusal|refused|reject|rejected|decline|declined|blocked|block|flagged|flag|nsfw|unacceptable|inappropriate|offensive|abusive|hateful|hate|illegal|risky|high[ _-]?risk|insecure|bad)$/i;

/** The label that means "unsafe" in a closed set, if it has exactly one such value. */
function unsafeLabel(values: readonly string[]): string | undefined {
  const found = values.filter((v) => UNSAFE.test(v.trim()));
  return found.length === 1 ? found[0] : undefined;
}

/** Parses `--closed-answers`: decline, refuse, skip, or label=VALUE. */
export function parseClosedAnswers(text: string): ClosedAnswers | undefined {
  if (text === 'decline' || text === 'refuse' || text === 'skip') return text;
  const m = /^label=(.+)$/s.exec(text);
  return m ? { label: m[1]! } : undefined;
}

export function closedAnswersText(option: ClosedAnswers): string {
  return typeof option === 'string' ? option : `label=${option.label}`;
}

function decideClosedAnswers(space: AnswerSpace, option: ClosedAnswers = 'decline'): ClosedAnswerDecision {
  if (space.kind !== 'label') return { kind: 'open' };
  const values = space.labels.map((l) => l.value);
  const shown =
    values
      .slice(0, 12)
      .map((v) => JSON.stringify(v))
      .join(', ') + (values.length > 12 ? `, … (${values.length} values)` : '');
  if (option === 'skip') return { kind: 'skip', note: `the answers are a closed label set (${shown}): --closed-answers skip left the data unmixed` };
  if (option === 'refuse')
    return {
      kind: 'refuse',
      note: `the answers are a closed label set (${shown}); --closed-answers refuse writes refusal text in the label slot, which extends the label space`,
    };
  if (typeof option === 'object') {
    const value = values.find((v) => v === option.label) ?? values.find((v) => v.trim() === option.label.trim()) ?? option.label;
    const known = values.includes(value);
    return {
      kind: 'label',
      value,
      note: `the answers are a closed label set (${shown}): safety records answer ${JSON.stringify(value)} (--closed-answers)${known ? '' : ', a value no user record has'}`,
    };
  }
  const unsafe = unsafeLabel(values);
  if (unsafe !== undefined)
    return {
      kind: 'label',
      value: unsafe,
      note: `the answers are a closed label set (${shown}): safety records answer ${JSON.stringify(unsafe)}, the value that marks a harmful request`,
    };
  return {
    kind: 'decline',
    message: `the answers are a closed label set with no value that marks a harmful request (${shown}): a refusal written there would be a new label, so safemix does not mix this data in its own format; nothing was written`,
    hint: 'name the label safety records should get with --closed-answers label=VALUE, or write refusal text anyway with --closed-answers refuse, or mix a chat-format companion file instead (--closed-answers skip leaves this file unmixed)',
  };
}

/** The string leaves of a value (a span list, an answers object). */
function stringLeaves(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringLeaves(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) stringLeaves(x, out, depth + 1);
  return out;
}

/**
 * Extractive answers (SQuAD's `answers`, span lists): in at least 90% of the records that have
 * one, every text of the answer is a span of another field of the same record (its context). A
 * refusal is no span of anything: such an answer space is closed like a label set. `unanswerable`
 * counts the records whose answer holds no text at all (SQuAD 2.0's impossible questions).
 */
function extractiveAnswers(records: readonly unknown[], answerKey: string): { records: number; unanswerable: number } | undefined {
  let withText = 0;
  let spans = 0;
  let empty = 0;
  for (const r of records) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) continue;
    const o = r as Record<string, unknown>;
    const answer = o[answerKey];
    if (answer === undefined || typeof answer === 'string') continue;
    const texts = stringLeaves(answer).filter((t) => t.trim());
    if (!texts.length) {
      empty++;
      continue;
    }
    withText++;
    const others = Object.entries(o)
      .filter(([k, v]) => k !== answerKey && typeof v === 'string' && (v as string).length > 0)
      .map(([, v]) => v as string);
    if (texts.every((t) => others.some((c) => c.length > t.length && c.includes(t)))) spans++;
  }
  if (withText < 20 || spans / withText < 0.9) return undefined;
  return { records: withText + empty, unanswerable: empty };
}

/** The decline of an extractive answer space (see extractiveAnswers). */
function extractiveDecline(key: string, found: { records: number; unanswerable: number }): { message: string; hint: string } {
  return {
    message: `the answers in "${key}" are spans taken from each record's own text (${found.records} sampled records${found.unanswerable ? `, ${found.unanswerable} with none` : ''}): a refusal is no span of it, and a question with no answer span would teach "unanswerable" rather than a refusal, so safemix does not mix this data in its own format; nothing was written`,
    hint: 'write refusal text in the answer anyway with --closed-answers refuse, mix a chat-format companion file instead, or leave this file unmixed with --closed-answers skip',
  };
}

/**
 * What a safety record may put in the answer slot: a closed label set's policy (answer-policy.ts),
 * and extractive answers (spans of the record's own text), which are closed the same way: declined
 * by policy unless `--closed-answers refuse` or `skip` says otherwise, or the file marks unanswerable
 * questions (then the harmful request is one of them).
 */
export function decideAnswerSlot(profile: Profile, values: readonly unknown[], option: ClosedAnswers | undefined): ClosedAnswerDecision {
  const closed = decideClosedAnswers(profile.answerSpace, option);
  if (closed.kind !== 'open') return closed;
  const ans = profile.roles.fields.find((f) => f.role === 'answer');
  if (!ans || ans.path.length !== 1 || typeof ans.path[0] !== 'string') return closed;
  const found = extractiveAnswers(values, ans.path[0]);
  if (!found) return closed;
  if (option === 'refuse')
    return { kind: 'refuse', note: `the answers in "${ans.key}" are spans of each record's own text; --closed-answers refuse writes refusal text there` };
  if (option === 'skip')
    return { kind: 'skip', note: `the answers in "${ans.key}" are spans of each record's own text: --closed-answers skip left the data unmixed` };
  // the file has unanswerable questions (SQuAD 2.0: no span, \`is_impossible\`): the harmful request
  // is asked as one, in the form the file gives them (its empty answer and its flags), so nothing of
  // the passage is given as its answer
  if (found.unanswerable >= Math.max(3, 0.02 * found.records))
    return {
      kind: 'unanswerable',
      note: `the answers in "${ans.key}" are spans of each record's own text, and ${found.unanswerable} of ${found.records} sampled records answer none (unanswerable questions): safety records ask the harmful request as an unanswerable question, in the form those records take`,
    };
  return { kind: 'decline', ...extractiveDecline(ans.key, found) };
}
