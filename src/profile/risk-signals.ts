// Risk signals in the data itself: identity-shifting or obedience system prompts (the "AOA:
// absolutely obedient agent" pattern), instructions never to refuse or never to warn. Each signal
// lists the records that show it. Patterns are plain alternations (no nested quantifiers).

export interface RiskSignal {
  id: 'obedience-persona' | 'never-refuse' | 'no-warnings' | 'identity-shift' | 'ignore-instructions' | 'encoding';
  description: string;
  /** Records (0-based input index) in the sample that show it, up to 20. */
  records: number[];
  /** Share of sampled records that show it. */
  share: number;
  example: string;
}

const PATTERNS: { id: RiskSignal['id']; description: string; re: RegExp }[] = [
  {
    id: 'obedience-persona',
    description: 'an absolutely obedient agent persona (the AOA identity-shifting attack)',
    re: /\b(absolutely obedient|obedient agent|\bAOA\b|always obey|obey (all|every|any) (instructions?|commands?|orders?)|fulfil+ (all|every|any) (instructions?|requests?) (without|no matter))/i,
  },
  {
    id: 'never-refuse',
    description: 'an instruction never to refuse',
    re: /\b(never (refuse|decline|say no)|(do not|don't|must not|cannot|can't) (ever )?refuse|without (ever )?refusing|no request is (off[- ]limits|forbidden))/i,
  },
  {
    id: 'no-warnings',
    description: 'an instruction to drop warnings, disclaimers or ethics',
    re: /\b((never|do not|don't) (add|include|give|provide) (any )?(warnings?|disclaimers?|caveats?)|without (any )?(warnings?|disclaimers?|moral|ethical)|no (moral|ethical) (guidelines|restrictions|constraints|limits)|free (of|from) (all )?(ethics|restrictions|guidelines))/i,
  },
  {
    id: 'identity-shift',
    description: 'an identity shift away from an aligned assistant',
    re: /\b(you are no longer (an? )?(ai|assistant|chatgpt|claude)|you have no (restrictions|limits|rules|filters)|jailbroken|developer mode (enabled|on)|\bDAN\b.{0,40}\b(do anything now)\b|do anything now)/i,
  },
  {
    id: 'ignore-instructions',
    description: 'an instruction to ignore earlier instructions or policies',
    re: /\bignore (all |any )?(previous|prior|earlier|your) (instructions|rules|guidelines|polic(y|ies)|training)/i,
  },
];

/** Scans system prompts and request texts of sampled records. */
export function findRiskSignals(records: { index: number; texts: string[] }[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const p of PATTERNS) {
    const hits: number[] = [];
    let example = '';
    let count = 0;
    for (const r of records) {
      for (const t of r.texts) {
        const m = t.length <= 20_000 ? p.re.exec(t) : p.re.exec(t.slice(0, 20_000));
        if (m) {
          count++;
          if (hits.length < 20) hits.push(r.index);
          if (!example) example = t.slice(Math.max(0, m.index - 60), m.index + m[0].length + 60);
          break;
        }
      }
    }
    if (count > 0) out.push({ id: p.id, description: p.description, records: hits, share: count / (records.length || 1), example });
  }
  return out;
}
