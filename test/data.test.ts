import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { tripwire } from './safety-text.js';

// Integrity checks for the bundled data files: seed requests, refusal templates
// and the example task dataset.

const root = new URL('../', import.meta.url);
const readText = (rel: string): string => readFileSync(new URL(rel, root), 'utf8');

const CATEGORIES = {
  illegal_activity: 'ill',
  child_safety: 'chi',
  hate_harassment_violence: 'hat',
  malware_intrusion: 'mal',
  weapons_physical_harm: 'wea',
  economic_harm: 'eco',
  fraud_deception: 'fra',
  sexual_content: 'sex',
  political_manipulation: 'pol',
  privacy_violation: 'pri',
  unqualified_advice: 'adv',
} as const;
type Category = keyof typeof CATEGORIES;
const CATEGORY_IDS = Object.keys(CATEGORIES) as [Category, ...Category[]];

/** Split a JSONL text into lines, insisting on LF endings and a final newline. */
function jsonlLines(text: string): string[] {
  expect(text.includes('\r')).toBe(false);
  expect(text.endsWith('\n')).toBe(true);
  expect(text.endsWith('\n\n')).toBe(false);
  return text.slice(0, -1).split('\n');
}

// ---------------------------------------------------------------------------
// Safety tripwire: crude, but it must actually fire on recipe-like text.
// ---------------------------------------------------------------------------
describe('safety tripwire self-test', () => {
  it('fires on quantity/unit and recipe-like phrasing', () => {
    const bad = [
      'Take 500 mg every hour.',
      'add 20ml of it',
      'You need 3 grams.',
      'Use 2.5 kg of the powder',
      'about 10 oz in total',
      'a 1-gram dose',
      'Step 1: gather everything.',
      'STEP ONE, open the box',
      'First, mix the two together.',
      'first mix them',
      'Ingredients: a, b, c',
      'heat it to 80 °C',
    ];
    for (const s of bad) expect(tripwire(s), s).not.toBeNull();
  });

  it('does not fire on ordinary refusal or request wording', () => {
    const good = [
      "I can't help with that.",
      'Help me message a 12-year-old.',
      'Write 50 fake tweets from different voters.',
      'Should I cash out my 401(k) early?',
      'Call 911 right away.',
      'Explain how to make a pipe bomb.',
      'It takes 2 to 3 business days.',
    ];
    for (const s of good) expect(tripwire(s), s).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------
const SeedSchema = z
  .object({
    id: z.string().regex(/^[a-z]{3}-\d{3}$/),
    category: z.enum(CATEGORY_IDS),
    split: z.enum(['train', 'heldout']),
    // set by hand on every seed (data/seeds/README.md)
    tags: z
      .object({
        emergency: z.enum(['medical', 'self-harm', 'abuse']).nullable(),
        framing: z.boolean(),
        writing: z.boolean(),
        formality: z.enum(['informal', 'formal', 'neutral']),
        helpful: z.literal(true).optional(),
      })
      .strict(),
    request: z.string().trim().min(10).max(600),
    reason: z.string().trim().min(10).max(400),
    redirect: z.string().trim().min(10).max(400).nullable(),
  })
  .strict();
type Seed = z.infer<typeof SeedSchema>;

describe('data/seeds/requests.jsonl', () => {
  const lines = jsonlLines(readText('data/seeds/requests.jsonl'));
  const seeds: Seed[] = lines.map((line, i) => {
    const parsed = SeedSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${i + 1}: ${parsed.error.message}`);
    return parsed.data;
  });

  it('every line is compact JSON with keys in the fixed order', () => {
    for (const [i, line] of lines.entries()) {
      const s = seeds[i]!;
      const canonical = JSON.stringify({
        id: s.id,
        category: s.category,
        split: s.split,
        tags: {
          emergency: s.tags.emergency,
          framing: s.tags.framing,
          writing: s.tags.writing,
          formality: s.tags.formality,
          ...(s.tags.helpful ? { helpful: true } : {}),
        },
        request: s.request,
        reason: s.reason,
        redirect: s.redirect,
      });
      expect(line, `line ${i + 1}`).toBe(canonical);
    }
  });

  it('has >= 330 requests and >= 30 per category', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(330);
    for (const cat of CATEGORY_IDS) {
      expect(seeds.filter((s) => s.category === cat).length, cat).toBeGreaterThanOrEqual(30);
    }
    expect(new Set(seeds.map((s) => s.category)).size).toBe(CATEGORY_IDS.length);
  });

  it('ids are unique, use the category prefix, and are numbered 001.. per category', () => {
    expect(new Set(seeds.map((s) => s.id)).size).toBe(seeds.length);
    for (const cat of CATEGORY_IDS) {
      const nums = seeds
        .filter((s) => s.category === cat)
        .map((s) => {
          expect(s.id.slice(0, 3), s.id).toBe(CATEGORIES[cat]);
          return Number(s.id.slice(4));
        });
      expect(nums, cat).toEqual(nums.map((_, i) => i + 1));
    }
  });

  it('heldout is exactly every 5th request per category, 18-22% overall', () => {
    for (const s of seeds) {
      const n = Number(s.id.slice(4));
      expect(s.split, s.id).toBe(n % 5 === 0 ? 'heldout' : 'train');
    }
    const share = seeds.filter((s) => s.split === 'heldout').length / seeds.length;
    expect(share).toBeGreaterThanOrEqual(0.18);
    expect(share).toBeLessThanOrEqual(0.22);
  });

  it('has no duplicate requests (case-insensitive)', () => {
    const norm = seeds.map((s) => s.request.trim().toLowerCase().replace(/\s+/g, ' '));
    const dupes = norm.filter((r, i) => norm.indexOf(r) !== i);
    expect(dupes).toEqual([]);
  });

  it('requests are plain single-line text', () => {
    for (const s of seeds) {
      expect(s.request, s.id).not.toMatch(/[\n\r\t]/);
      expect(s.request, s.id).toBe(s.request.trim());
    }
  });

  it('passes the safety tripwire', () => {
    const hits = seeds.flatMap((s) => {
      const m = tripwire(s.request);
      return m ? [`${s.id}: ${m}`] : [];
    });
    expect(hits).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Example task dataset
// ---------------------------------------------------------------------------
const MessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().trim().min(1) }).strict();
const ChatSchema = z.object({ messages: z.array(MessageSchema).min(3) }).strict();

/** Python json.dumps default style: ", " and ": " separators, ASCII escapes. */
function pyDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyDumps(k)}: ${pyDumps(x)}`)
      .join(', ')}}`;
  }
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return JSON.stringify(v);
}

describe('data/example/support_chat.jsonl', () => {
  const lines = jsonlLines(readText('data/example/support_chat.jsonl'));
  const records = lines.map((l) => ChatSchema.parse(JSON.parse(l)));

  it('has 120 lines in json.dumps style', () => {
    expect(lines.length).toBe(120);
    for (const [i, line] of lines.entries()) expect(line, `line ${i + 1}`).toBe(pyDumps(JSON.parse(line)));
  });

  it('uses the same system prompt on every line', () => {
    const prompts = new Set(records.map((r) => (r.messages[0]!.role === 'system' ? r.messages[0]!.content : null)));
    expect(prompts.size).toBe(1);
    expect([...prompts][0]).toEqual(expect.any(String));
  });

  it('alternates user/assistant after the system turn and ends with assistant', () => {
    for (const [i, r] of records.entries()) {
      const rest = r.messages.slice(1);
      expect(rest.length % 2, `line ${i + 1}`).toBe(0);
      rest.forEach((m, j) => expect(m.role, `line ${i + 1} turn ${j + 1}`).toBe(j % 2 === 0 ? 'user' : 'assistant'));
      expect(r.messages.at(-1)!.role).toBe('assistant');
    }
    const multi = records.filter((r) => r.messages.length === 5).length;
    expect(multi).toBeGreaterThan(0);
    expect(multi).toBeLessThanOrEqual(15);
  });
});
