// Bring-your-own safety source: harmful requests (and, when present, their responses) read from any
// file safemix can read, such as an Alpaca refusal set or the unsafe rows of a CSV. Slots come from
// the profiler unless named with --safety-request / --safety-response; --safety-where filters rows.
import { SafemixError } from '../errors.js';
import { getPath } from '../profile/conversation.js';
import { conversationOf } from '../profile/conversation.js';
import { buildProfile } from '../profile/profile.js';
import { DEFAULT_SEED, sampleDataset } from './sample.js';
import type { Seed } from '../generate/seeds.js';

export interface SafetySourceOptions {
  path: string;
  /** Field holding the request (fields data), e.g. `prompt`. */
  request?: string;
  /** Field holding the response, when the source has one. */
  response?: string;
  /** Keep only records whose field equals a value: `label=unsafe`. */
  where?: string;
  /** Largest number of records read (default 100,000). */
  limit?: number;
}

export async function loadSafetySource(options: SafetySourceOptions): Promise<Seed[]> {
  const limit = options.limit ?? 100_000;
  const where = options.where ? parseWhere(options.where) : undefined;
  // the whole (bounded) source is the sample: every record is a candidate request
  const { scan, sample, records } = await sampleDataset(options.path, { sample: limit, seed: DEFAULT_SEED, validate: true });
  if (records > limit)
    throw new SafemixError('usage', `the safety source has ${records} records, more than the ${limit} safemix reads`, {
      position: { file: options.path },
      hint: 'pass a smaller safety file',
    });
  const profile = buildProfile(sample, records, scan.detection, scan.reader.container, {
    seed: DEFAULT_SEED,
    input: options.request,
    target: options.response,
  });
  const dialect = scan.detection.dialect;
  const seeds: Seed[] = [];
  for (const r of sample) {
    if (where && String(getPath(r.value, where.field.split('.')) ?? '') !== where.value) continue;
    let request: string | undefined;
    let response: string | undefined;
    const conv = conversationOf(dialect, r.value);
    if (conv && !options.request) {
      request = conv.turns.find((t) => t.role === 'user')?.text;
      if (dialect === 'alpaca') {
        const input = (r.value as { input?: unknown }).input;
        if (typeof input === 'string' && input.trim()) request = `${request}\n${input}`;
      }
      response = options.response === undefined ? conv.turns.find((t) => t.role === 'assistant')?.text : undefined;
    } else {
      const reqField = options.request ?? profile.views.request.slot;
      const value = getPath(r.value, reqField.split('.'));
      request = typeof value === 'string' ? value : undefined;
      const resField = options.response;
      const res = resField ? getPath(r.value, resField.split('.')) : undefined;
      response = typeof res === 'string' && res.trim() ? res : undefined;
    }
    if (!request || !request.trim()) continue;
    seeds.push({ id: `${options.path.split('/').pop()}:${r.index}`, category: 'user_supplied', split: 'train', request, response });
  }
  return seeds;
}

function parseWhere(where: string): { field: string; value: string } {
  const eq = where.indexOf('=');
  if (eq <= 0) throw new SafemixError('usage', `--safety-where must be FIELD=VALUE (got "${where}")`, { hint: 'for example --safety-where label=unsafe' });
  return { field: where.slice(0, eq), value: where.slice(eq + 1) };
}
