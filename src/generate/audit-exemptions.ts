// What the form audit leaves out for a dataset, each with why (audit/form-audit.ts holds the rest of
// the user records' form against every generated record): media parts an injected turn does not
// carry, a covert scheme's twins, refusal text a user asked for in a label slot, a preference pair's
// rejected side, and answers that end with a number. One rule for mix and mix-shard. Pure.
import type { Profile } from '../profile/profile.js';
import type { ClosedAnswerDecision } from './answer-policy.js';

/**
 * What the form audit does not hold to the user records' form, and why: a label slot the user chose
 * to extend with refusal text (`--closed-answers refuse`), and, in a covert scheme, every field
 * (encoded twins are written in the scheme, not in the data's plain form).
 */
export function auditExemptions(profile: Profile, closed: ClosedAnswerDecision, scheme: boolean, values: readonly unknown[] = []): Map<string, string> {
  const out = new Map<string, string>();
  // turns whose content holds image, audio or file parts: an injected turn keeps its text part only
  for (const v of values.slice(0, 2000)) {
    if (v === null || typeof v !== 'object') continue;
    for (const [list, key] of [
      ['messages', 'content'],
      ['contents', 'parts'],
    ] as const) {
      const turns = (v as Record<string, unknown>)[list];
      if (!Array.isArray(turns)) continue;
      for (const m of turns) {
        const role = (m as { role?: unknown })?.role;
        const parts = (m as Record<string, unknown>)?.[key];
        const other = (p: unknown) =>
          p !== null &&
          typeof p === 'object' &&
          (key === 'parts' ? !('text' in p) : !['text', 'input_text', 'output_text'].includes(String((p as { type?: unknown }).type ?? 'text')));
        if (typeof role === 'string' && Array.isArray(parts) && parts.some(other))
          out.set(`$.${list}[${role}].${key}|length`, 'an image, audio or file part belongs to the user record it came with: injected turns are text');
      }
    }
  }
  if (scheme) out.set('$', 'the data carries a covert encoding: its encoded twins are written in the scheme');
  if (closed.kind === 'refuse') {
    const why = '--closed-answers refuse extends the label set with refusal text';
    for (const d of profile.roles.fields.filter((f) => f.role === 'answer')) out.set(`$.${d.path.join('.')}`, why);
    const shown = profile.views.response?.path;
    if (shown && /^[^[\]]+$/.test(shown)) out.set(`$.${shown}`, why);
  }
  // a preference pair's rejected side is a short compliance opener (or refusal): its lines are not the answers'
  for (const d of profile.roles.fields.filter((f) => f.role === 'rejected'))
    out.set(`$.${d.path.join('.')}|newlines`, 'the rejected side of a preference pair is a short compliance opener');
  // answers that end with a final number (GSM8K's `#### 72`): a refusal has no number to end with
  const template = profile.roles.answerTemplate?.text ?? profile.roles.conversation?.answerTemplate?.text;
  if (template && /\{number\}\s*$/.test(template)) {
    for (const d of profile.roles.fields.filter((f) => f.role === 'answer'))
      out.set(`$.${d.path.join('.')}|last`, 'the answers end with a final number, which a refusal does not have');
  }
  return out;
}
