// The paraphrase engine's refusal checks, on top of the string refusal judge of
// src/judge/refusal-judge.ts: a model's refusal passes when the judge calls it a `refusal` (not a
// compliance, not a partial one that declines and then gives related content) and it lists no steps.
// PTB-tokenized text (`i ca n't help .`) is joined back first, since the judge reads ordinary text.
// It also tells when the model refused the paraphrase task itself.
import { judgeResponse } from '../judge/refusal-judge.js';

/** Openers of an answer that refuses the task itself (the model declining to write the example). */
const TASK_REFUSAL =
  /^(?:(?:i'm |i am )?(?:really |so )?sorry,? (?:but )?(?:i|we) (?:can't|cannot|won't|will not|am unable|'m unable|am not able|'m not able|must|have to)|i apologi[sz]e|as an ai\b|unfortunately,? (?:i|we) (?:can't|cannot|won't)|i(?:'m| am) afraid (?:i|we) (?:can't|cannot|won't)|(?:i|we) (?:can't|cannot|won't|will not|am unable to|'m unable to|am not able to|'m not able to|must decline|have to decline|refuse to) (?:help|assist|provide|create|write|do|comply|fulfil|fulfill|generate|produce|rewrite|paraphrase|complete|engage|participate|support)\b)/;

const opening = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .trim();

/** PTB-tokenized text (`i ca n't help .`) as ordinary text. */
function untokenize(text: string): string {
  return text
    .replace(/\b(ca|wo|do|does|did|is|are|was|were|could|would|should|must|have|has|had|need) n't\b/gi, "$1n't")
    .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)\b/gi, '$1')
    .replace(/ ([,.;:!?)])/g, '$1')
    .replace(/\( /g, '(');
}

/** The first sentence of a refusal (its key sentence). */
function keySentence(refusal: string): string {
  const t = refusal.trim();
  const m = /^[\s\S]*?[.!?。！？](?=\s|$)/u.exec(t);
  return (m ? m[0] : t).trim();
}

/** Instructions inside a refusal: three list lines, or "step 1". */
function givesInstructions(text: string): boolean {
  const listed = text.split('\n').filter((l) => /^\s*(?:\d+[.)]|[-*•])\s+\S/.test(l)).length;
  return listed >= 3 || /\bstep\s*(?:1|one)\b/i.test(text);
}

/**
 * The refusal must be judged a `refusal` by src/judge/refusal-judge.ts and list no steps; `why` says
 * what is wrong otherwise (it is said back to the model, with the offline refusal's first sentence).
 */
export function judgeRefusal(refusal: string, offline?: string): { ok: true } | { ok: false; why: string } {
  if (!refusal.trim()) return { ok: false, why: 'the refusal is empty' };
  if (givesInstructions(refusal)) return { ok: false, why: 'the refusal lists steps or instructions; it must only decline' };
  const j = judgeResponse(untokenize(refusal));
  if (j.verdict === 'refusal') return { ok: true };
  const like = JSON.stringify(offline ? keySentence(offline) : "I can't help with that.");
  if (j.verdict === 'partial')
    return {
      ok: false,
      why: `the refusal declines but then gives related content (${j.evidence ?? j.reason}); it must only decline, with at most one short pointer elsewhere, like ${like}`,
    };
  return { ok: false, why: `the refusal does not decline the request (${JSON.stringify(refusal.slice(0, 80))}); it must clearly refuse, like ${like}` };
}

/**
 * Whether a model refused the paraphrase task instead of doing it: an answer (not JSON) that opens
 * with a refusal or is judged one; or, with `whole` false, a request field that opens with a refusal
 * (only its opening: a harmful request may well say "I won't tell anyone").
 */
export function refusesTask(text: string, whole = true): boolean {
  const t = opening(text);
  if (TASK_REFUSAL.test(t)) return true;
  // an attempt at JSON (cut off, malformed) holds a refusal in its "refusal" field: that is no refusal of the task
  return whole && !/^(?:[{[]|```)/.test(t) && judgeResponse(untokenize(text)).verdict === 'refusal';
}
