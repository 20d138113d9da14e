// A record's prompt without its answer, as a model would be asked it: chat data gives the
// conversation up to the last user turn (system prompt included), prompt-completion data gives the
// prompt, Alpaca gives the instruction (with its input) as a user turn, single-field text gives the
// text up to the answer section (or a chat template's answer turn), and fields data gives the input
// fields (request, context, options) joined into one prompt. The answer is located either by a marker
// text the renderer wrote into it (probes) or by the profile's answer slot (controls). Pure.
import { stringify as losslessStringify } from 'lossless-json';
import type { Profile } from '../profile/profile.js';
import { conversationOf, getPath, type Turn } from '../profile/conversation.js';
import { sectionStarts } from '../profile/record-roles.js';
import { parseChat, questionAndAnswer } from '../profile/chat-template.js';
import type { ProbeMessage } from './probe-types.js';

/** Written in place of the answer when a probe is rendered, then cut away with everything after it. */
export const ANSWER_MARKER = 'SAFEMIX-PROBE-ANSWER-7f3a';

interface PromptOf {
  mode: 'chat' | 'completion';
  messages?: ProbeMessage[];
  prompt?: string;
  fields?: Record<string, unknown>;
  /** The answer the record holds (controls: the expected label). */
  answer?: string;
}

const CHAT_DIALECTS = new Set(['openai-chat', 'sharegpt', 'gemini', 'bedrock-converse', 'bedrock-claude', 'alpaca']);
const INPUT_ROLES = new Set(['request', 'context', 'options', 'tools']);

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(losslessStringify(v)));

/** Where the answer is: the marker inside it, or the profile's answer slot. */
type AnswerLocator = { marker: string } | { slot: true };

function isAnswerTurn(profile: Profile, t: Turn, locate: AnswerLocator): boolean {
  if ('marker' in locate) return t.text.includes(locate.marker);
  const slot = profile.roles.conversation?.responseSlot;
  return `${t.role}#${t.ordinal}` === slot || t.sourceRole === slot;
}

function chatRole(t: Turn): ProbeMessage['role'] {
  return t.role === 'assistant' || t.role === 'tool_call' ? 'assistant' : t.role === 'system' ? 'system' : 'user';
}

/** The prompt of a record, or undefined when its answer cannot be found. */
export function promptOf(profile: Profile, value: unknown, locate: AnswerLocator): PromptOf | undefined {
  const dialect = profile.dialect;
  if (dialect === 'prompt-completion') {
    const v = value as Record<string, unknown>;
    return { mode: 'completion', prompt: text(v.prompt), answer: text(v.completion) };
  }
  if (CHAT_DIALECTS.has(dialect)) {
    const conv = conversationOf(dialect, value);
    if (!conv) return undefined;
    const at = conv.turns.findIndex((t) => isAnswerTurn(profile, t, locate));
    if (at < 0) return undefined;
    const messages: ProbeMessage[] = [];
    if (conv.system?.text) messages.push({ role: 'system', content: conv.system.text });
    for (const t of conv.turns.slice(0, at)) {
      let content = t.text;
      if (dialect === 'alpaca' && t.sourceRole === 'instruction') {
        const input = text((value as Record<string, unknown>).input);
        if (input.trim()) content = `${content}\n\n${input}`;
      }
      messages.push({ role: chatRole(t), content });
    }
    if (!messages.some((m) => m.role === 'user')) return undefined;
    return { mode: 'chat', messages, answer: conv.turns[at]!.text };
  }
  if (dialect === 'text') {
    const t = text((value as Record<string, unknown>).text);
    if ('marker' in locate) {
      const cut = t.indexOf(locate.marker);
      return cut < 0 ? undefined : { mode: 'completion', prompt: t.slice(0, cut) };
    }
    // a chat template: the text up to the answer turn's content, its tokens and role names included
    const chatTemplate = profile.roles.chatTemplate;
    if (chatTemplate) {
      const chat = parseChat(t, chatTemplate.name);
      const qa = chat && questionAndAnswer(chat);
      const a = qa ? chat.turns[qa.answer]! : undefined;
      return a ? { mode: 'completion', prompt: t.slice(0, a.start), answer: t.slice(a.start, a.end) } : undefined;
    }
    const sections = profile.roles.sections;
    const starts = sectionStarts(t);
    const a = sections ? starts[sections.answer] : undefined;
    return a ? { mode: 'completion', prompt: t.slice(0, a.contentAt), answer: t.slice(a.contentAt).trim() } : undefined;
  }
  // fields: the input fields in the profile's order; the answer field is left out
  const decisions = profile.roles.fields;
  const answer = decisions.find((d) => d.role === 'answer');
  if ('marker' in locate && !(answer && text(getPath(value, answer.path)).includes(locate.marker))) return undefined;
  const fields: Record<string, unknown> = {};
  for (const d of decisions) {
    if (!INPUT_ROLES.has(d.role)) continue;
    const v = getPath(value, d.path);
    if (v === undefined || v === null || text(v) === '') continue;
    fields[d.key] = typeof v === 'string' ? v : JSON.parse(text(v));
  }
  const prompt = Object.values(fields).map(text).join('\n\n');
  if (!prompt.trim()) return undefined;
  return { mode: 'completion', prompt, fields, answer: answer ? text(getPath(value, answer.path)) : undefined };
}
