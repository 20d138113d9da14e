// The assistant responses of a record, wherever its format keeps them: every answer turn of a chat or
// of a chat-template text, both sides of a preference pair, the answer slot of fields data, or a field
// named by the user. Pure: for the judge command and for inspect's share of refusals in the answers.
import type { Profile } from './profile.js';
import { conversationOf, displayPath, getPath, type Path } from './conversation.js';
import { parseChat } from './chat-template.js';
import { messageText } from './preference.js';

const fieldPath = (field: string): Path => field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** The assistant responses of one record, each with its path, as the profile reads the records. */
export function responsesOf(value: unknown, profile: Profile, field?: string): { path: string; text: string }[] {
  if (field !== undefined) {
    const v = getPath(value, fieldPath(field));
    return typeof v === 'string' ? [{ path: field, text: v }] : [];
  }
  const pref = profile.roles.preference;
  if (pref) {
    const out: { path: string; text: string }[] = [];
    for (const side of [pref.chosen, pref.rejected]) {
      if (!side) continue;
      const v = getPath(value, side.path);
      const last = Array.isArray(v) ? v.at(-1) : v;
      const text = typeof last === 'string' ? last : messageText(last);
      if (text) out.push({ path: displayPath(side.path), text });
    }
    return out;
  }
  const chat = profile.roles.chatTemplate;
  if (chat) {
    const text = String((value as { text?: unknown })?.text ?? '');
    const parsed = parseChat(text, chat.name);
    return parsed
      ? parsed.turns.filter((t) => t.role === 'assistant').map((t, i) => ({ path: `text (assistant turn ${i + 1})`, text: text.slice(t.start, t.end) }))
      : [];
  }
  const conv = conversationOf(profile.dialect, value);
  if (conv) return conv.turns.filter((t) => t.role === 'assistant').map((t) => ({ path: displayPath(t.path), text: t.text }));
  const answer = profile.roles.fields.find((d) => d.role === 'answer');
  const v = answer ? getPath(value, answer.path) : undefined;
  return typeof v === 'string' ? [{ path: answer!.key, text: v }] : [];
}
