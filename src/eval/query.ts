// `safemix query` as a library call: asks a model at an OpenAI-compatible endpoint every probe and
// writes OUTPUTS.jsonl (`{id, output}` per line, in probe order) atomically. It goes through the
// paraphrase engine's endpoint client, so it has the same retries with backoff, the same on-disk
// answer cache (a rerun resumes without asking again) and the same progress line. A probe the
// endpoint rejects (a prompt too long for the model) gets `output: null` and its error; an endpoint
// that is down, refuses the key or lacks the model stops the run with nothing written.
import { EndpointClient, displayEndpoint, resolveEndpoint, type ChatMessage, type EndpointOptions, type EndpointStats } from '../engine/endpoint-client.js';
import { isSafemixError } from '../errors.js';
import { ProbeSchema, readJsonl, type Output, type Probe } from './probe-types.js';
import { writeJson, writeJsonl } from './probes.js';

export interface QueryOptions extends EndpointOptions {
  output?: string;
  /** Largest answer in tokens (default 512). */
  maxTokens?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface QueryResult {
  outputs: Output[];
  stats: EndpointStats;
  /** Probes in completion mode, sent as one user turn (the endpoint client speaks chat completions). */
  completionAsChat: number;
  rejected: number;
}

/** The messages a probe is asked with. */
export function probeMessages(p: Probe): ChatMessage[] {
  if (p.mode === 'chat' && p.messages?.length) return p.messages;
  return [{ role: 'user', content: p.prompt ?? p.request }];
}

export async function queryProbes(probes: Probe[], options: QueryOptions): Promise<QueryResult> {
  const client = new EndpointClient(options);
  await client.check();
  let done = 0;
  let rejected = 0;
  options.onProgress?.(0, probes.length);
  try {
    const outputs = await Promise.all(
      probes.map(async (p): Promise<Output> => {
        try {
          const answer = await client.complete(probeMessages(p), { temperature: 0, maxTokens: options.maxTokens ?? 512 });
          return { id: p.id, output: answer.text };
        } catch (e) {
          if (isSafemixError(e) && e.code === 'endpoint_rejected') {
            rejected++;
            return { id: p.id, output: null, error: e.message };
          }
          throw e;
        } finally {
          options.onProgress?.(++done, probes.length);
        }
      }),
    );
    if (options.output) {
      writeJsonl(options.output, outputs);
      // what the score page names: the model, where it was asked (address only), and when
      writeJson(`${options.output}.meta.json`, {
        model: options.model,
        endpoint: displayEndpoint(resolveEndpoint(options.endpoint)),
        date: new Date().toISOString(),
      });
    }
    return { outputs, stats: client.stats, completionAsChat: probes.filter((p) => p.mode === 'completion').length, rejected };
  } catch (e) {
    client.close();
    throw e;
  }
}

export async function queryFile(probesPath: string, options: QueryOptions): Promise<QueryResult> {
  return queryProbes(readJsonl(probesPath, ProbeSchema, 'probes'), options);
}
