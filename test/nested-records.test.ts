// Records inside a JSON document (issue 25, item 4): SQuAD's `data[].paragraphs[].qas[]`, written here
// from the SQuAD 2.0 paper's description of its JSON (each paragraph's `qas` list and `context`, an
// unanswerable question with empty `answers`, `plausible_answers` and `is_impossible: true`), and a
// generic document holding a list of instruction records. The record path is inferred (or given with
// --records), injected records are written at the same depth, and the document, parsed back with
// JSON.parse (not safemix's scanner), is the user's document plus the injected records.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { isRefusal, requestIn, SEED_BY_ID } from './safety-text.js';

const PLACES = ['Harbour Bridge', 'Old Mill', 'Victoria Tower', 'North Pier', 'Kingsway Arch', 'Redwood Library', 'Castle Museum', 'Lantern Hall'];
const RIVERS = ['Ness', 'Tagus', 'Yarra', 'Rhone', 'Tweed', 'Douro'];
type Qa = {
  question: string;
  id: string;
  answers: { text: string; answer_start: number }[];
  is_impossible?: boolean;
  plausible_answers?: { text: string; answer_start: number }[];
};
type Doc = { version: string; data: { title: string; paragraphs: { qas: Qa[]; context: string }[] }[] };

/** SQuAD-shaped: version 2.0 has unanswerable questions (qas before context, as that file writes paragraphs). */
function squad(v2: boolean): Doc {
  let id = 0;
  const data = PLACES.map((t, a) => ({
    title: t,
    paragraphs: RIVERS.map((river, p) => {
      const year = 1840 + a * 9 + p * 3;
      const span = 90 + a * 7 + p * 11;
      const context = `The ${t} was completed in ${year} after ${p + 2} years of work. Built of stone and iron, it spans ${span} metres across the river ${river}, and its ${['north', 'south', 'east'][p % 3]} end holds a small museum.`;
      const qas: Qa[] = [
        {
          question: `In which year was the ${t} on the ${river} completed?`,
          id: `q${id++}`,
          answers: [{ text: String(year), answer_start: context.indexOf(String(year)) }],
        },
        {
          question: `How many metres does the ${t} span across the ${river}?`,
          id: `q${id++}`,
          answers: [{ text: `${span} metres`, answer_start: context.indexOf(`${span} metres`) }],
        },
      ];
      if (v2) {
        for (const q of qas) q.is_impossible = false;
        qas.push({
          plausible_answers: [{ text: String(year), answer_start: context.indexOf(String(year)) }],
          question: `When was the ${t} on the ${river} closed to traffic?`,
          id: `q${id++}`,
          answers: [],
          is_impossible: true,
        });
      }
      return { qas, context };
    }),
  }));
  return { version: v2 ? 'v2.0' : '1.1', data };
}

function qasOf(doc: Doc): Qa[] {
  return doc.data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas));
}

/** The document without the questions it did not have before. */
function withoutNew(doc: Doc, known: Set<string>): Doc {
  return { ...doc, data: doc.data.map((a) => ({ ...a, paragraphs: a.paragraphs.map((p) => ({ ...p, qas: p.qas.filter((q) => known.has(q.id)) })) })) };
}

describe('records inside a JSON document', () => {
  for (const [name, indent] of [
    ['pretty', 2],
    ['one line', 0],
  ] as const) {
    it(`SQuAD 2.0 (${name}): the path is inferred, harmful requests join paragraphs as unanswerable questions`, async () => {
      const dir = tempDir();
      const doc = squad(true);
      const text = JSON.stringify(doc, null, indent || undefined);
      writeFileSync(join(dir, 'squad.json'), text);
      const ins = await runCli(['inspect', 'squad.json'], { cwd: dir });
      expect(ins.code, ins.stderr).toBe(0);
      expect(ins.stdout).toContain('records at data[].paragraphs[].qas[]');
      expect((await runCli(['validate', 'squad.json'], { cwd: dir })).code).toBe(0);
      const r = await runCli(['mix', 'squad.json', '-o', 'out.json', '--count', '12', '--seed', '2', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const outText = readFileSync(join(dir, 'out.json'), 'utf8');
      if (!indent) expect(outText.includes('\n')).toBe(false);
      const out = JSON.parse(outText) as Doc;
      const known = new Set(qasOf(doc).map((q) => q.id));
      const added = qasOf(out).filter((q) => !known.has(q.id));
      expect(added).toHaveLength(12);
      // the user's document, parsed back, is unchanged around the added questions
      expect(withoutNew(out, known)).toEqual(doc);
      const m = JSON.parse(readFileSync(join(dir, 'out.json.manifest.json'), 'utf8')) as { recordPath: string; injected: { index: number; seedId: string }[] };
      expect(m.recordPath).toBe('data[].paragraphs[].qas[]');
      const flat = qasOf(out);
      for (const e of m.injected) {
        const q = flat[e.index]!;
        expect(known.has(q.id)).toBe(false);
        expect(requestIn(q.question, SEED_BY_ID.get(e.seedId)!), q.question).toBe(true);
        expect(q.answers).toEqual([]);
        expect(q.is_impossible).toBe(true);
        // no field of the paragraph around it is written into the question
        expect(Object.keys(q)).not.toContain('context');
        expect(Object.keys(q)).not.toContain('title');
      }
      // byte for byte around the insertions: on one line, taking each added question (and its comma)
      // out of the output gives the input back exactly
      if (!indent) {
        let rest = outText;
        for (const q of added) {
          const text = JSON.stringify(q);
          rest = rest.includes(`,${text}`) ? rest.replace(`,${text}`, '') : rest.replace(`${text},`, '');
        }
        expect(rest).toBe(text);
      }
      // the same seed: the same bytes
      expect((await runCli(['mix', 'squad.json', '-o', 'again.json', '--count', '12', '--seed', '2', '--quiet'], { cwd: dir })).code).toBe(0);
      expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(outText);
    });
  }

  it('SQuAD 2.0 through plan and mix-shard: the same kind of records at the same depth', async () => {
    const dir = tempDir();
    const doc = squad(true);
    writeFileSync(join(dir, 'squad.json'), JSON.stringify(doc, null, 2));
    const p = await runCli(['plan', 'squad.json', '-o', 'plan.json', '--count', '8', '--quiet'], { cwd: dir });
    expect(p.code, p.stderr).toBe(0);
    const r = await runCli(['mix-shard', 'plan.json', '--shard', '0', '-o', 'out.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Doc;
    const known = new Set(qasOf(doc).map((q) => q.id));
    const added = qasOf(out).filter((q) => !known.has(q.id));
    expect(added).toHaveLength(8);
    for (const q of added) {
      expect(q.answers).toEqual([]);
      expect(q.is_impossible).toBe(true);
      expect(Object.keys(q)).not.toContain('context');
    }
    expect(withoutNew(out, known)).toEqual(doc);
  });

  it('past the first 1,000 records (read fast, then exactly for the sample): each record still sees its paragraph, non-ASCII text exact', async () => {
    const dir = tempDir();
    let id = 0;
    const data = Array.from({ length: 30 }, (_, a) => ({
      title: `Brücke ${a}`,
      paragraphs: Array.from({ length: 15 }, (_, p) => {
        const context = `Die Brücke Nr. ${a}-${p} über die Spree wurde ${1850 + p} fertiggestellt; sie ist ${100 + a} Meter lang und heißt „Große Brücke“.`;
        const qas: Qa[] = [
          {
            question: `Wann wurde die Brücke Nr. ${a}-${p} fertiggestellt?`,
            id: `q${id++}`,
            answers: [{ text: String(1850 + p), answer_start: context.indexOf(String(1850 + p)) }],
            is_impossible: false,
          },
          {
            question: `Wie lang ist die Brücke Nr. ${a}-${p}?`,
            id: `q${id++}`,
            answers: [{ text: `${100 + a} Meter`, answer_start: context.indexOf(`${100 + a} Meter`) }],
            is_impossible: false,
          },
          {
            question: `Wann wurde die Brücke Nr. ${a}-${p} abgerissen?`,
            id: `q${id++}`,
            answers: [],
            is_impossible: true,
            plausible_answers: [{ text: String(1850 + p), answer_start: context.indexOf(String(1850 + p)) }],
          },
        ];
        return { qas, context };
      }),
    }));
    const doc = { version: 'v2.0', data };
    writeFileSync(join(dir, 'big.json'), JSON.stringify(doc));
    expect(qasOf(doc as Doc).length).toBeGreaterThan(1000);
    const ins = await runCli(['inspect', 'big.json', '--json'], { cwd: dir });
    expect(ins.code, ins.stderr).toBe(0);
    const report = JSON.parse(ins.stdout) as { fieldRoles: { field: string; role: string }[] };
    expect(report.fieldRoles.find((f) => f.field === 'context')?.role, 'the paragraph text is read as the context of every sampled record').toBe('context');
    const r = await runCli(['mix', 'big.json', '-o', 'out.json', '--count', '20', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Doc;
    const known = new Set(qasOf(doc as Doc).map((q) => q.id));
    expect(qasOf(out).filter((q) => !known.has(q.id))).toHaveLength(20);
    expect(withoutNew(out, known)).toEqual(doc);
  });

  it('SQuAD 1.1 (no unanswerable questions): the extractive answer space is declined as closed, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'squad.json'), JSON.stringify(squad(false), null, 2));
    const r = await runCli(['mix', 'squad.json', '-o', 'out.json', '--count', '5'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/spans taken from each record's own text/);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it('a document holding a list of instruction records: mixed in place, the path given or inferred', async () => {
    const dir = tempDir();
    const examples = Array.from({ length: 60 }, (_, i) => ({
      instruction: `Give one tip for keeping ${['basil', 'mint', 'a fern'][i % 3]} healthy on a windowsill (case ${i}).`,
      response: `Water it when the top soil is dry and turn the pot every week (${i}).`,
    }));
    const doc = { name: 'plant-care', license: 'CC-BY-4.0', splits: { train: { examples } } };
    writeFileSync(join(dir, 'doc.json'), JSON.stringify(doc, null, 2));
    for (const args of [[], ['--records', 'splits.train.examples[]']]) {
      const r = await runCli(['mix', 'doc.json', '-o', 'out.json', '--count', '6', '--balance', '0', '--quiet', ...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as typeof doc;
      expect(out.name).toBe('plant-care');
      expect(out.splits.train.examples).toHaveLength(66);
      const m = JSON.parse(readFileSync(join(dir, 'out.json.manifest.json'), 'utf8')) as { injected: { index: number; seedId: string }[] };
      for (const e of m.injected) {
        const x = out.splits.train.examples[e.index]!;
        expect(Object.keys(x)).toEqual(['instruction', 'response']);
        expect(requestIn(x.instruction, SEED_BY_ID.get(e.seedId)!)).toBe(true);
        expect(isRefusal(x.response), x.response).toBe(true);
      }
      expect(out.splits.train.examples.filter((_, i) => !m.injected.some((e) => e.index === i))).toEqual(examples);
    }
  });

  it('a --records path that leads to no list: the error names the path, and the hint says how to write one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'squad.json'), JSON.stringify(squad(true), null, 2));
    const r = await runCli(['mix', 'squad.json', '-o', 'out.json', '--count', '3', '--records', 'data[].sections[]'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no record at data\[\]\.sections\[\]/);
    expect(r.stderr).toMatch(/--records data\[\]\.paragraphs\[\]\.qas\[\]/);
    const bad = await runCli(['mix', 'squad.json', '-o', 'out.json', '--count', '3', '--records', 'data.paragraphs'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a path to a list of records/);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });
});

describe('the nested-record scanner, fed in pieces', () => {
  // written by hand: two articles, records at data[].items[], a field after the list (`note`), escapes,
  // a nested list inside a record, a skipped object beside the path
  const doc =
    '\ufeff{"meta": {"items": [{"x": 1}]}, "data": [\n {"title": "A \\"q\\"", "items": [{"q": "one", "a": ["x", {"y": "]"}]}, {"q": "two}"}], "note": "after"},\n {"items": [], "title": "B"},\n {"title": "C", "items": [ {"q": "three", "n": -1.5e3} ]}\n]}\n';
  const records = ['{"q": "one", "a": ["x", {"y": "]"}]}', '{"q": "two}"}', '{"q": "three", "n": -1.5e3}'];
  const gaps = ['', ', ', '], "note": "after"},\n {"items": [], "title": "B"},\n {"title": "C", "items": [ '];

  it.each([1, 2, 3, 5, 7, 64, 4096])('in pieces of %i bytes: the same records, separators, inherited fields, prefix and suffix', async (size) => {
    const { JsonNestedScanner, ANY } = await import('../src/read/json-nested-scanner.js');
    const scanner = new JsonNestedScanner(['data', ANY, 'items', ANY], 1 << 20);
    const bytes = Buffer.from(doc);
    const out: { raw: Buffer; sepBefore: Buffer; inherited: Record<string, unknown>; line: number; offset: number }[] = [];
    for (let at = 0; at < bytes.length; at += size) scanner.push(bytes.subarray(at, at + size), out);
    const suffix = scanner.end();
    expect(scanner.problem).toBeUndefined();
    expect(out.map((r) => r.raw.toString())).toEqual(records);
    expect(out.map((r) => r.sepBefore.toString())).toEqual(gaps);
    expect(scanner.prefix.toString()).toBe('\ufeff{"meta": {"items": [{"x": 1}]}, "data": [\n {"title": "A \\"q\\"", "items": [');
    expect(suffix.toString()).toBe(' ]}\n]}\n');
    expect(out.map((r) => r.inherited)).toEqual([{ title: 'A "q"', note: 'after' }, { title: 'A "q"', note: 'after' }, { title: 'C' }]);
    expect(out.map((r) => r.line)).toEqual([2, 2, 4]);
    // every byte accounted for: prefix, records with their separators, suffix
    expect(scanner.prefix.toString() + out.map((r) => r.sepBefore.toString() + r.raw.toString()).join('') + suffix.toString()).toBe(doc);
  });

  it('a document cut short, or with a syntax error, is a problem with its line', async () => {
    const { JsonNestedScanner, ANY } = await import('../src/read/json-nested-scanner.js');
    const cut = new JsonNestedScanner(['data', ANY], 1 << 20);
    cut.push(Buffer.from('{"data": [{"q": 1}, {"q": 2'), []);
    cut.end();
    expect(cut.problem?.message).toMatch(/not closed/);
    const bad = new JsonNestedScanner(['data', ANY], 1 << 20);
    bad.push(Buffer.from('{"data":\n [{"q": 1}] "x": 2}'), []);
    expect(bad.problem?.line).toBe(2);
  });
});

describe('inferring the record path from the first bytes', () => {
  it("finds a document's records, and takes no JSON Lines record cut off in the bytes looked at for a document", async () => {
    const { inferRecordPath } = await import('../src/read/record-path.js');
    const squadHead = JSON.stringify(squad(true)).slice(0, 3000);
    expect(inferRecordPath(Buffer.from(squadHead))?.path).toEqual(['data', { any: true }, 'paragraphs', { any: true }, 'qas', { any: true }]);
    const tools = Array.from({ length: 4 }, (_, i) => ({
      type: 'function',
      function: { name: `tool_${i}`, description: `Looks up entries of catalogue number ${i} by their name` },
    }));
    const record = JSON.stringify({ tools, messages: [{ role: 'user', content: 'x '.repeat(5000) }] });
    expect(inferRecordPath(Buffer.from(record.slice(0, 2000)))).toBeUndefined();
  });
});
