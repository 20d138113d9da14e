// Reads the shared real-world corpus (read-only) into TextUnits: every string value of each record,
// found recursively; CSV/TSV rows are split crudely on the delimiter, which is enough for a test.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { TextUnit } from '../../src/profile/encoding/index.js';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => /\.(jsonl|json|csv|tsv)$/.test(f))
    .sort();
}

export function readCorpusText(name: string): string {
  return readFileSync(join(CORPUS_DIR, name), 'utf8');
}

export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

/** One unit per record. Headerless: topic_agnews_test.tsv only. */
export function corpusUnits(name: string): TextUnit[] {
  const raw = readCorpusText(name);
  if (name.endsWith('.jsonl')) {
    return raw
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .map((l, record) => ({ record, texts: stringsOf(JSON.parse(l)) }));
  }
  if (name.endsWith('.json')) {
    const data = JSON.parse(raw) as unknown[];
    return data.map((v, record) => ({ record, texts: stringsOf(v) }));
  }
  const delimiter = name.endsWith('.tsv') ? '\t' : ',';
  const lines = raw.split(/\r?\n/).filter((l) => l.length > 0);
  const body = name === 'topic_agnews_test.tsv' ? lines : lines.slice(1);
  return body.map((l, record) => ({ record, texts: l.split(delimiter) }));
}
