// What the paraphrase engine reports of a run (the manifest's `paraphrase`): its schema lives with the
// engine that fills it; the library's schemas (src/schemas/manifest.ts) take it from here.
import { z } from 'zod';

/** What the paraphrase engine did (`mix --engine paraphrase`): requests, cache, retries, fallbacks, tokens, cost. */
export const ParaphraseReportSchema = z.object({
  /** The API base URL, without user, password or query. */
  endpoint: z.string(),
  model: z.string(),
  /** Safety records the model was asked to rewrite. */
  records: z.number().int(),
  /** Of those, written with the model's request and refusal. */
  paraphrased: z.number().int(),
  /** Of those, written offline after the model's answers failed the checks (or it refused the task). */
  fallbacks: z.number().int(),
  /** Every fallback: its 0-based output index and why. */
  fallback: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  /** Encoded twins (--on-encoded mimic), written offline without asking the model. */
  keptOffline: z.number().int().optional(),
  /** Records the model wrote in a language not shipped offline (their donors' language), checked by language and by their refusal read back in English. */
  translated: z.number().int().optional(),
  /** Chat-completion requests sent in this run (each retry counts), and answers read from the cache. */
  requests: z.number().int(),
  cacheHits: z.number().int(),
  /** Requests sent again after 429, 5xx, a timeout or a dropped connection. */
  retries: z.number().int(),
  /** Questions asked again after an invalid answer, with the error in the prompt. */
  repairs: z.number().int(),
  /** Tokens of the requests sent in this run (cache hits cost nothing). */
  tokens: z.object({ in: z.number().int(), out: z.number().int() }),
  /** Estimated cost from --price-in / --price-out (USD per million tokens). */
  cost: z.object({ priceIn: z.number(), priceOut: z.number(), usd: z.number() }).optional(),
  parameters: z.object({
    temperature: z.number(),
    seed: z.number().int(),
    maxTokens: z.number().int(),
    examples: z.number().int(),
    repairs: z.number().int(),
    retries: z.number().int(),
    concurrency: z.number().int(),
    timeoutMs: z.number(),
  }),
  /** Parameters the server rejected and that were then left out (seed, response_format, temperature). */
  unsupported: z.array(z.string()).optional(),
  /** The answer cache directory (null: no cache). */
  cache: z.string().nullable(),
});
export type ParaphraseReport = z.infer<typeof ParaphraseReportSchema>;
