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

/** `decline` (default), `refuse` (a refusal in the slot anyway), `skip` (no safety records), or a label. */
export type ClosedAnswers = 'decline' | 'refuse' | 'skip' | { label: string };

export type ClosedAnswerDecision =
  | { kind: 'open' }
  | { kind: 'refuse'; note: string }
  | { kind: 'skip'; note: string }
  | { kind: 'label'; value: string; note: string }
  | { kind: 'decline'; message: string; hint: string };

/** Label values that mean the request is unsafe, harmful or to be refused, in the languages of the seeds' users. */
const UNSAFE = /^(?:unsafe|not[ _-]?safe|harmful|harm|toxic|toxicity|dangerous|danger|malicious|jailbreak|attack|violation|violating|violates|policy[ _-]?violation|prohibited|disallowed|forbidden|refuse|refusal|refused|reject|rejected|decline|declined|blocked|block|flagged|flag|nsfw|unacceptable|inappropriate|offensive|abusive|hateful|hate|illegal|risky|high[ _-]?risk|insecure|bad)$/i;

/** The label that means "unsafe" in a closed set, if it has exactly one such value. */
export function unsafeLabel(values: readonly string[]): string | undefined {
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

export function decideClosedAnswers(space: AnswerSpace, option: ClosedAnswers = 'decline'): ClosedAnswerDecision {
  if (space.kind !== 'label') return { kind: 'open' };
  const values = space.labels.map((l) => l.value);
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v)).join(', ') + (values.length > 12 ? `, … (${values.length} values)` : '');
  if (option === 'skip') return { kind: 'skip', note: `the answers are a closed label set (${shown}): --closed-answers skip left the data unmixed` };
  if (option === 'refuse') return { kind: 'refuse', note: `the answers are a closed label set (${shown}); --closed-answers refuse writes refusal text in the label slot, which extends the label space` };
  if (typeof option === 'object') {
    const value = values.find((v) => v === option.label) ?? values.find((v) => v.trim() === option.label.trim()) ?? option.label;
    const known = values.includes(value);
    return { kind: 'label', value, note: `the answers are a closed label set (${shown}): safety records answer ${JSON.stringify(value)} (--closed-answers)${known ? '' : ', a value no user record has'}` };
  }
  const unsafe = unsafeLabel(values);
  if (unsafe !== undefined) return { kind: 'label', value: unsafe, note: `the answers are a closed label set (${shown}): safety records answer ${JSON.stringify(unsafe)}, the value that marks a harmful request` };
  return {
    kind: 'decline',
    message: `the answers are a closed label set with no value that marks a harmful request (${shown}): a refusal written there would be a new label, so safemix does not mix this data in its own format; nothing was written`,
    hint: 'name the label safety records should get with --closed-answers label=VALUE, or write refusal text anyway with --closed-answers refuse, or mix a chat-format companion file instead (--closed-answers skip leaves this file unmixed)',
  };
}
