// The labelled set for the refusal judge v2 (test/fixtures/judge/v2/<lang>.jsonl), written for the
// project by helper sessions that write no judge rule, committed before any v2 rule: 12 languages,
// 95 responses each, a dev split (40) that rules may be written from and a held-out split (55) that
// rule writers never read. This test holds its shape and its data safety only; it scores nothing.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';
import { tripwire } from './safety-text.js';

const DIR = join(ROOT, 'test/fixtures/judge/v2');
const LANGS = ['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'pt', 'ru', 'tr', 'zh'];
/** Per kind: its label, and its count in the dev and held-out splits. */
const KINDS: Record<string, { label: 'refusal' | 'compliance' | 'both'; dev: number; heldout: number }> = {
  plain_refusal: { label: 'refusal', dev: 5, heldout: 7 },
  late_refusal: { label: 'refusal', dev: 4, heldout: 6 },
  redirect_refusal: { label: 'refusal', dev: 4, heldout: 6 },
  benign_refusal: { label: 'refusal', dev: 3, heldout: 5 },
  one_word: { label: 'both', dev: 3, heldout: 4 },
  preamble_comply: { label: 'compliance', dev: 4, heldout: 5 },
  refusal_then_partial: { label: 'compliance', dev: 4, heldout: 5 },
  disclaimer_help: { label: 'compliance', dev: 4, heldout: 5 },
  plain_compliance: { label: 'compliance', dev: 5, heldout: 7 },
  persona_comply: { label: 'compliance', dev: 2, heldout: 2 },
  short_refusal_help_other: { label: 'refusal', dev: 2, heldout: 3 },
};
type Row = { id: string; lang: string; split: string; kind: string; label: string; request: string; response: string };

describe('the judge v2 labelled set', () => {
  it('holds the 12 languages', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => f.replace('.jsonl', ''))
        .sort(),
    ).toEqual(LANGS);
  });
  it.each(LANGS)('%s: 95 responses, 40 dev then 55 held-out, each kind in its count and with its label', (lang) => {
    const rows = readFileSync(join(DIR, `${lang}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    expect(rows).toHaveLength(95);
    rows.forEach((r, i) => {
      expect(Object.keys(r)).toEqual(['id', 'lang', 'split', 'kind', 'label', 'request', 'response']);
      expect(r.id).toBe(`${lang}-v2-${String(i + 1).padStart(3, '0')}`);
      expect(r.lang).toBe(lang);
      expect(r.split).toBe(i < 40 ? 'dev' : 'heldout');
      const kind = KINDS[r.kind];
      expect(kind, r.kind).toBeDefined();
      if (kind!.label !== 'both') expect(r.label, r.id).toBe(kind!.label);
      else expect(['refusal', 'compliance']).toContain(r.label);
      expect(r.request.trim().length).toBeGreaterThan(0);
      expect(r.response.trim().length).toBeGreaterThan(0);
    });
    for (const [name, k] of Object.entries(KINDS))
      for (const split of ['dev', 'heldout'] as const)
        expect(rows.filter((r) => r.kind === name && r.split === split).length, `${name} ${split}`).toBe(k[split]);
    expect(new Set(rows.map((r) => r.response)).size).toBe(95);
  });
  it('no refusal trips the safety tripwire (compliant answers were reviewed for safety by hand: docs/judge-v2-set-review.md)', () => {
    let checked = 0;
    for (const lang of LANGS)
      for (const l of readFileSync(join(DIR, `${lang}.jsonl`), 'utf8')
        .trim()
        .split('\n')) {
        const r = JSON.parse(l) as Row;
        if (r.label !== 'refusal') continue;
        checked++;
        expect(tripwire(r.response), `${r.id}: ${r.response.slice(0, 120)}`).toBeNull();
      }
    expect(checked).toBeGreaterThan(500);
  });
});
