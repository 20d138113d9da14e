// A request split in two for data whose records carry a second request field filled in part of the
// records (Alpaca's `input`, Dolly's `context`): the sentences that give the situation go where the
// data's inputs are, the closing ask where its instructions are. Pure; sentence ends are read from
// punctuation (Latin, CJK, Arabic, Devanagari and Armenian marks), so the split is the same on any machine.

/** A sentence ends with one of these, then closing quotes or brackets, then space (or, for CJK, nothing). */
const SENTENCE_END = /[.!?…؟।։;](?:["'»”’)\]]*)\s+|[。！？](?:[」』”’）]*)\s*/gu;

interface SplitRequest {
  /** The first sentences: the situation the request gives. */
  context: string;
  /** The last sentence: what is asked. */
  ask: string;
}

/** The request's context and ask, or undefined when it is one sentence (or the ask would be a fragment). */
export function splitRequest(text: string): SplitRequest | undefined {
  const t = text.trim();
  let cut = -1;
  for (const m of t.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    if (end < t.length) cut = end;
  }
  if (cut <= 0) return undefined;
  const context = t.slice(0, cut).trim();
  const ask = t.slice(cut).trim();
  // an ask of a word or two ("Thanks.") is not a request of its own (in scripts written without
  // spaces: fewer than six letters)
  const letters = ask.match(/\p{L}/gu)?.length ?? 0;
  const words = ask.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
  if ((/\s/.test(t) ? words < 3 : letters < 6) || context.length < 6) return undefined;
  return { context, ask };
}
