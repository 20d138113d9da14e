// Dialogue requests: a request slot whose texts are conversations written as speaker-tagged lines
// (`#Person1#: …`, `A: …`, `Amanda: …`), and whether the answers summarise them (they name the
// record's own speakers, as DialogSum and SAMSum summaries do). Read off the user records so an
// injected record is a dialogue in the same tags, line breaks and length, and its summary is written in
// the third person. Pure.

/** One speaker line's tag: a label of up to 32 characters, a colon (ASCII or full-width), its spacing. */
const SPEAKER = /^([^\s:：][^:：\n\r]{0,31}?)([ \t]*[:：][ \t]*)(?=\S)/u;

interface Speaker {
  label: string;
  /** The line's opening as written (`#Person1#: `). */
  prefix: string;
}

export interface DialogueForm {
  /** The line break the dialogues use. */
  lineBreak: string;
  /** Median number of speaker lines per dialogue. */
  lines: number;
  /** The answers name the record's own speakers (a summary in the third person). */
  summary: boolean;
  /** Share of the dialogues that end with a question (their last line asks). */
  questionEnd: number;
  evidence: string;
}

/** The speaker lines of a text, when every non-empty line opens with a speaker tag and two speakers or more talk. */
function dialogueLines(text: string): { speaker: Speaker; text: string }[] | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (lines.length < 2) return undefined;
  const out: { speaker: Speaker; text: string }[] = [];
  for (const line of lines) {
    const m = SPEAKER.exec(line);
    if (!m) return undefined;
    out.push({ speaker: { label: m[1]!, prefix: m[0] }, text: line.slice(m[0].length) });
  }
  return new Set(out.map((l) => l.speaker.label)).size >= 2 ? out : undefined;
}

/** Scripts written without spaces between words: a letter of one does not continue a Latin name. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** Whether a character continues the word that `edge` (a label's first or last character) is part of. */
function continues(c: string, edge: string): boolean {
  if (!/[\p{L}\p{N}]/u.test(c)) return false;
  return !(UNSPACED.test(c) !== UNSPACED.test(edge));
}

/** Whether a text names a label as a word of its own (not inside a longer word; "A向B" names A and B). */
function mentions(text: string, label: string): boolean {
  if (!label) return false;
  for (let at = text.indexOf(label); at >= 0; at = text.indexOf(label, at + 1)) {
    const before = text.slice(0, at).slice(-1);
    const after = text.slice(at + label.length, at + label.length + 1);
    if (!continues(before, label[0]!) && !continues(after, label.at(-1)!)) return true;
  }
  return false;
}

/** The first two speakers of a dialogue, in the order they speak. */
export function speakersOf(text: string): [Speaker, Speaker] | undefined {
  const lines = dialogueLines(text);
  if (!lines) return undefined;
  const first = lines[0]!.speaker;
  const second = lines.find((l) => l.speaker.label !== first.label)?.speaker;
  return second ? [first, second] : undefined;
}

/** How the requests are written as dialogues, when at least 80% of them (of at least 10) are. */
export function dialogueForm(requests: readonly string[], answers: readonly (string | undefined)[]): DialogueForm | undefined {
  const seen = requests.slice(0, 2000);
  let dialogues = 0;
  let crlf = 0;
  let named = 0;
  let answered = 0;
  let repeated = 0;
  let asking = 0;
  const counts: number[] = [];
  seen.forEach((r, i) => {
    const lines = dialogueLines(r);
    if (!lines) return;
    dialogues++;
    counts.push(lines.length);
    if (r.includes('\r\n')) crlf++;
    if (/[?？؟;]["'”’)\]»」』]*\s*$/u.test(r)) asking++;
    const a = answers[i];
    if (a === undefined || !a.trim()) return;
    answered++;
    const labels = new Set(lines.flatMap((l) => [l.speaker.label, l.speaker.label.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')]));
    if ([...labels].some((l) => mentions(a, l))) named++;
    if (lines.length > new Set(lines.map((l) => l.speaker.label)).size) repeated++;
  });
  // labelled sections (`Context: …` / `Question: …`) are not a dialogue: speakers take turns, so in
  // most dialogues a speaker talks twice or more
  if (dialogues < 10 || dialogues < 0.8 * seen.length || repeated < 0.5 * dialogues) return undefined;
  counts.sort((x, y) => x - y);
  const summary = answered >= 10 && named >= 0.5 * answered;
  return {
    lineBreak: crlf > dialogues / 2 ? '\r\n' : '\n',
    lines: counts[Math.floor(counts.length / 2)]!,
    summary,
    questionEnd: asking / dialogues,
    evidence: `${dialogues} of ${seen.length} requests are speaker-tagged dialogues (median ${counts[Math.floor(counts.length / 2)]} lines)${summary ? `; ${named} of ${answered} answers name the record's speakers (a summary)` : ''}`,
  };
}
