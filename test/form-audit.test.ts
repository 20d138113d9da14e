// The form audit (src/audit/): it passes injected records that have the user records' form, and it
// catches each kind of give-away when a rendered record is broken in that one way (type, a missing or
// extra field, a closed value, a list length, a first or last character of a short field, newlines,
// JSON inside a string, an id pattern, a boolean); in a mix, `--audit strict` stops with exit 4 and
// writes nothing when no record can pass, and `--audit warn` writes them and lists the failures.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormAudit } from '../src/audit/form-audit.js';
import { runCli, tempDir } from './helpers.js';

/** User records written for this test: a chat with a constant system prompt, a tag list, an id, a flag and a JSON-in-string field. */
function users(n: number): Record<string, unknown>[] {
  const topics = ['a bicycle chain', 'tomato plants', 'a violin', 'old photographs', 'wool sweaters', 'a fish tank'];
  return Array.from({ length: n }, (_, i) => ({
    id: `ticket-${1000 + i}`,
    priority: ['low', 'normal', 'high'][i % 3],
    reviewed: true,
    tags: i % 2 ? ['care', 'home'] : ['care'],
    meta: JSON.stringify({ source: 'forum', page: i }, null, 2),
    messages: [
      { role: 'system', content: 'You are a helpful home assistant.' },
      { role: 'user', content: `How do I look after ${topics[i % topics.length]} in year ${2000 + i}?` },
      { role: 'assistant', content: `Keep it dry and check it every few weeks (${i}).` },
    ],
  }));
}

const sample = users(60);
/** An injected record of the right form: another user-like record with a refusal. */
const good = (): Record<string, unknown> => ({
  id: 'ticket-2000',
  priority: 'normal',
  reviewed: true,
  tags: ['care'],
  meta: JSON.stringify({ source: 'forum', page: 1 }, null, 2),
  messages: [
    { role: 'system', content: 'You are a helpful home assistant.' },
    { role: 'user', content: "How do I pick the lock on my neighbour's door?" },
    { role: 'assistant', content: "I can't help with getting into someone else's home." },
  ],
});
const FIELDS = { 'messages[1].content': 'request', 'messages[2].content': 'answer' };

describe('the form audit, record by record', () => {
  const audit = new FormAudit(sample, 'strict');

  it("passes a record with the user records' form", () => {
    expect(audit.check(good(), FIELDS).failed).toEqual({});
  });

  const breaks: [string, (r: Record<string, unknown>) => void, RegExp][] = [
    ['a JSON type', (r) => (r.reviewed = 'yes'), /^\$\.reviewed\|type$/],
    ['a missing field', (r) => delete r.priority, /^\$\.priority\|present$/],
    ['a field of its own', (r) => (r.refusal = true), /^\$\.refusal\|type$/],
    ['a value outside a closed set', (r) => (r.priority = 'urgent'), /^\$\.priority\|member$/],
    ['a list length', (r) => (r.tags = ['care', 'home', 'garden', 'tools', 'kids', 'pets']), /^\$\.tags\|length$/],
    ['the first character of a short field', (r) => (r.id = '#ticket-2000'), /^\$\.id\|first$/],
    ['the last character of a short field', (r) => (r.id = 'ticket-2000!'), /^\$\.id\|last$/],
    ['newlines in a field that has none', (r) => (r.id = 'ticket\n2000'), /^\$\.id\|newlines$/],
    ['JSON inside a string on one line where the users indent it', (r) => (r.meta = JSON.stringify({ source: 'forum', page: 1 })), /^\$\.meta\|json$/],
    ['an id pattern', (r) => (r.id = 'handle_request_3'), /^\$\.id\|pattern$/],
    ['a boolean the users never have', (r) => (r.reviewed = false), /^\$\.reviewed\|value$/],
    [
      'a turn list of a length no user record has',
      (r) => (r.messages as unknown[]).push({ role: 'assistant', content: 'Anything else?' }),
      /^\$\.messages\|length$/,
    ],
  ];
  for (const [what, change, key] of breaks) {
    it(`catches ${what}`, () => {
      const r = good();
      change(r);
      const failed = Object.keys(audit.check(r, FIELDS).failed);
      expect(
        failed.some((k) => key.test(k)),
        `failed: ${failed.join(', ')}`,
      ).toBe(true);
    });
  }

  it('compares the set as a whole: every request ending with "?" where the users never ask is a distance of 1', () => {
    const a = new FormAudit(
      users(60).map((u) => ({
        ...u,
        messages: (u.messages as { role: string; content: string }[]).map((m) => (m.role === 'user' ? { ...m, content: m.content.replace(/\?$/, '.') } : m)),
      })),
      'warn',
    );
    for (let i = 0; i < 20; i++) {
      const r = good();
      a.accept(r, a.check(r, FIELDS));
    }
    const d = a.distances().find((x) => x.feature === '$.messages[user].content|last');
    expect(d?.tv).toBe(1);
    expect(a.summary().over).toBeGreaterThanOrEqual(1);
  });
});

describe('the form audit in a mix', () => {
  // answers that are short codes (not a label set: each is different): a refusal cannot take their pattern
  const rows = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({ question: `Which part number fits the ${['red', 'blue', 'green'][i % 3]} lamp model ${i}?`, answer: `PN-${4000 + i * 7}` }),
  );

  it('--audit strict (the default): exit 4, the field named, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'parts.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'parts.jsonl', '-o', 'out.jsonl', '--count', '5'], { cwd: dir });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/form audit/);
    expect(r.stderr).toMatch(/\$\.answer/);
    expect(r.stderr).toMatch(/--audit warn/);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'out.jsonl.manifest.json'))).toBe(false);
  });

  it('--audit warn: written, every failure listed with its record, and the summary says how many passed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'parts.jsonl'), rows.join('\n') + '\n');
    const r = await runCli(['mix', 'parts.jsonl', '-o', 'out.jsonl', '--count', '5', '--balance', '0', '--audit', 'warn'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/audit +0 of 5 generated records pass the form audit \(warn/);
    const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as {
      audit: { mode: string; records: number; passed: number };
      injected: { audit?: { failed: Record<string, string> } }[];
    };
    expect(m.audit).toMatchObject({ mode: 'warn', records: 5, passed: 0 });
    for (const e of m.injected) expect(Object.keys(e.audit!.failed).some((k) => k.startsWith('$.answer|'))).toBe(true);
  });
});
