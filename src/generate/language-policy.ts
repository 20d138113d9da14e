// Never silently English: the offline engine writes safety records only in its shipped languages.
// When more than a small share of the data is in languages it does not ship, an offline run is
// declined by policy (exit 4) instead of filling the data with English records; the ways out are to
// accept English for those records (--lang-fallback en), to translate through a model endpoint
// (--engine paraphrase), or to write every record in one language (--lang). Pure.
import { ExitCode, SafemixError } from '../errors.js';

/** The most records in unshipped languages an offline run writes in English without being asked. */
export const UNSHIPPED_MAX_SHARE = 0.1;

interface UnshippedLanguages {
  share: number;
  languages: Record<string, number>;
  looked: number;
}

/** The error that declines the run, or undefined when it may go on. */
export function unshippedDecline(u: UnshippedLanguages, options: { langFallback?: string; engine?: string }, file: string): SafemixError | undefined {
  if (u.share <= UNSHIPPED_MAX_SHARE || options.langFallback === 'en' || options.engine === 'paraphrase') return undefined;
  const langs = Object.entries(u.languages)
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} (${n})`)
    .join(', ');
  return new SafemixError(
    'declined_by_policy',
    `${Math.round(u.share * 100)}% of the sampled records (${Object.values(u.languages).reduce((a, b) => a + b, 0)} of ${u.looked}) are in languages safemix does not ship offline: ${langs}; their safety records would be English, so nothing was written`,
    {
      position: { file },
      hint: 'accept English safety records for them with --lang-fallback en, or have a model translate them with --engine paraphrase --endpoint URL --model NAME, or write every record in one shipped language with --lang CODE',
      exitCode: ExitCode.declined,
    },
  );
}
