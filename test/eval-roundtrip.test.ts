// Round trip of the evaluation kit on every corpus file: probes → a scripted loopback model that
// complies or refuses by a rule of the prompt's hash (and answers controls right or wrong by the
// same rule) → score. Every rate, overall and by category, language and format, must equal the
// scripted rate exactly. One file also goes through the real CLI (probes, query, score --json,
// --html, --compare).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_FILES, corpus, runCli, tempDir } from './helpers.js';
import { buildProbes } from '../src/eval/probes.js';
import { queryProbes } from '../src/eval/query.js';
import { scoreFiles, type Metric, type ScoreReport } from '../src/eval/score.js';
import { formatScore, scoreHtml } from '../src/eval/report.js';
import type { Probe } from '../src/eval/probe-types.js';
import { startLoopbackModel, type LoopbackModel } from './eval/loopback-model.js';
import { haveChromium, pageProblems } from './chromium.js';
import { SEEDS, SEED_BY_ID } from './safety-text.js';

/** Held-out seeds of a language, less those the seed audit found deserve help (tags.helpful on the English seed): the harmful probes. */
const heldoutHarmful = (lang: string) =>
  SEEDS.filter(
    (s) => s.lang === lang && s.split === 'heldout' && !(SEED_BY_ID.get(s.en ?? s.id) as { tags?: { helpful?: boolean } } | undefined)?.tags?.helpful,
  ).length;

const COMPLY = 'Sure! Here is the answer you asked for: [details left out by the test model].';
/**
 * The scripted model's refusals, written here (not taken from safemix's banks), for the languages the
 * corpus probes are in; a probe in any other language makes the model answer UNSCRIPTED and the test fail.
 */
const REFUSALS: Record<string, string[]> = {
  en: ["I'm sorry, but I can't help with that.", "I won't help with this request.", "No. I can't assist with that, as it could cause harm."],
  zh: ['抱歉，我不能帮助你做这件事。', '对不起，我无法提供这方面的帮助。', '我不能协助完成这个请求。'],
};
const UNSCRIPTED = 'UNSCRIPTED LANGUAGE';
const key = (messages: { role: string; content: string }[]) => JSON.stringify(messages.map((m) => [m.role, m.content]));
/** What `safemix query` is documented to send for a probe: its chat messages, or its prompt as one user turn. */
const sent = (p: Probe) => (p.mode === 'chat' && p.messages?.length ? p.messages : [{ role: 'user', content: p.prompt ?? p.request }]);
/** The script: complies (or answers a control right) when the prompt's hash is divisible by 3. */
const complies = (messages: { role: string; content: string }[]) => createHash('sha256').update(key(messages)).digest()[0]! % 3 === 0;

let model: LoopbackModel;
const known = new Map<string, Probe>();

beforeAll(async () => {
  model = await startLoopbackModel((req) => {
    const probe = known.get(key(req.messages));
    if (!probe) return 'I do not know this prompt.';
    const yes = complies(req.messages);
    if (probe.kind === 'control') return yes ? probe.expected! : 'zzz-not-a-label';
    if (yes) return COMPLY;
    const refusals = REFUSALS[probe.language];
    return refusals ? refusals[createHash('sha256').update(key(req.messages)).digest()[1]! % refusals.length]! : UNSCRIPTED;
  });
});
afterAll(() => model?.close());

/** k and n the script should give, per metric and breakdown. */
function expected(probes: Probe[]) {
  const cell = () => new Map<string, { k: number; n: number }>();
  const metrics = { harmful: [cell(), cell(), cell(), cell()], safe: [cell(), cell(), cell(), cell()], control: [cell(), cell(), cell(), cell()] };
  for (const p of probes) {
    const yes = complies(sent(p));
    // two controls with the same prompt (and different answers) get the answer of the one the model knows
    const hit = p.kind === 'safe' ? !yes : p.kind === 'control' ? yes && known.get(key(sent(p)))!.expected === p.expected : yes;
    const [all, cat, lang, fmt] = metrics[p.kind];
    for (const [m, k] of [
      [all!, 'all'],
      [cat!, p.category],
      [lang!, p.language],
      [fmt!, p.format],
    ] as const) {
      const c = m.get(k) ?? { k: 0, n: 0 };
      c.n++;
      if (hit) c.k++;
      m.set(k, c);
    }
  }
  return metrics;
}

function same(metric: Metric, cells: Map<string, { k: number; n: number }>[]) {
  const kn = (b: Record<string, { k: number; n: number }>) => Object.fromEntries(Object.entries(b).map(([g, p]) => [g, { k: p.k, n: p.n }]));
  const want = (m: Map<string, { k: number; n: number }>) => Object.fromEntries([...m].sort((a, b) => a[0].localeCompare(b[0])));
  expect({ k: metric.overall.k, n: metric.overall.n }).toEqual(cells[0]!.get('all') ?? { k: 0, n: 0 });
  expect(kn(metric.byCategory)).toEqual(want(cells[1]!));
  expect(kn(metric.byLanguage)).toEqual(want(cells[2]!));
  expect(kn(metric.byFormat)).toEqual(want(cells[3]!));
  if (metric.overall.n) expect(metric.overall.rate).toBe(metric.overall.k / metric.overall.n);
}

describe('probes → loopback model → score equals the scripted rates', () => {
  for (const f of CORPUS_FILES) {
    it(f.file, async () => {
      const dir = tempDir('safemix-eval-');
      const probesPath = join(dir, 'probes.jsonl');
      const outputsPath = join(dir, 'outputs.jsonl');
      const r = await buildProbes(corpus(f.file), { output: probesPath, controls: corpus(f.file), maxControls: 40 });
      const probes = r.probes;
      for (const p of probes) known.set(key(sent(p)), p);
      // every held-out seed and safe prompt, in both forms, or once where both forms are the same
      // prompt (a task probe marked alsoPlain); controls from the validation file
      const plainOrSame = (kind: string) => probes.filter((p) => p.kind === kind && (p.format === 'plain' || p.alsoPlain)).length;
      expect(plainOrSame('harmful')).toBe(heldoutHarmful(r.language));
      expect(plainOrSame('safe')).toBeGreaterThanOrEqual(150);
      // and no prompt is asked twice for one seed
      const asked = probes.filter((p) => p.kind !== 'control').map((p) => `${p.kind}:${p.seedId}:${JSON.stringify([p.mode, p.messages, p.prompt, p.fields])}`);
      expect(new Set(asked).size).toBe(asked.length);
      expect(probes.filter((p) => p.format === 'task' && p.kind !== 'control').length).toBeGreaterThan(0);
      expect(probes.filter((p) => p.kind === 'control').length).toBeGreaterThan(0);
      // a probe never carries an answer
      for (const p of probes) expect(JSON.stringify(p)).not.toContain('SAFEMIX-PROBE-ANSWER');
      expect(
        probes.filter((p) => p.kind !== 'control' && !REFUSALS[p.language]).map((p) => p.language),
        'probe languages the test model has refusals for',
      ).toEqual([]);
      await queryProbes(probes, { endpoint: model.url, model: 'test-model', cache: false, concurrency: 16, output: outputsPath });
      const report: ScoreReport = await scoreFiles(probesPath, outputsPath);
      expect(report.missing).toBe(0);
      const want = expected(probes);
      same(report.metrics.attackSuccess, want.harmful);
      same(report.metrics.overRefusal, want.safe);
      same(report.metrics.taskAccuracy, want.control);
    });
  }
});

describe('task probes that are their plain twins', () => {
  it('Alpaca-format data: each is asked and counted once, and the report says so', async () => {
    const dir = tempDir('safemix-eval-');
    // Alpaca records whose input is empty ask as a bare instruction: the task form is the plain chat turn
    const asks = [
      'Give three tips for staying healthy.',
      'What is the capital of France?',
      'Describe the water cycle in two sentences.',
      'Suggest a name for a bakery.',
      'Translate "good morning" into Spanish.',
      'How do I boil an egg?',
      'Write a haiku about autumn.',
      'Why is the sky blue?',
      'List four primary school subjects.',
      'Summarize the plot of Cinderella.',
    ];
    const rows = Array.from({ length: 60 }, (_, i) => ({ instruction: asks[i % asks.length]!, input: '', output: `Answer number ${i}.` }));
    writeFileSync(join(dir, 'alpaca.json'), JSON.stringify(rows, null, 2));
    const r = await buildProbes(join(dir, 'alpaca.json'), { output: join(dir, 'probes.jsonl') });
    const same = r.probes.filter((p) => p.alsoPlain);
    expect(same.length).toBeGreaterThan(0);
    for (const p of same) {
      expect(p.format).toBe('task');
      expect(p.messages).toEqual([{ role: 'user', content: p.request }]);
      expect(r.probes.some((q) => q.format === 'plain' && q.kind === p.kind && q.seedId === p.seedId)).toBe(false);
    }
    expect(r.notes.join('\n')).toContain(`the task format adds nothing for ${same.length} probe(s)`);
    await queryProbes(r.probes, { endpoint: model.url, model: 'test-model', cache: false, concurrency: 16, output: join(dir, 'outputs.jsonl') });
    const report = await scoreFiles(join(dir, 'probes.jsonl'), join(dir, 'outputs.jsonl'));
    expect(report.sameAsPlain).toBe(same.length);
    // n counts each probe once: harmful probes are the held-out seeds, once each
    expect(report.metrics.attackSuccess.overall.n).toBe(r.probes.filter((p) => p.kind === 'harmful').length);
    expect(formatScore(report)).toContain(`the task format adds nothing for ${same.length} probe(s)`);
    expect(scoreHtml(report)).toContain('task format');
  });
});

describe('the CLI loop', () => {
  it('probes, query, score --json --html, and --compare', async () => {
    const dir = tempDir('safemix-eval-cli-');
    const p = join(dir, 'p.jsonl');
    const o = join(dir, 'o.jsonl');
    const file = corpus('intent_aoai_context_switching_train.jsonl');
    const a = await runCli(['probes', file, '-o', p, '--controls', file, '--max-controls', '20', '--no-safe']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain(`harmful/task ${heldoutHarmful('en')}`);
    const probes = readFileSync(p, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Probe);
    for (const x of probes) known.set(key(sent(x)), x);
    const q = await runCli(['query', p, '--endpoint', model.url, '--model', 'test-model', '-o', o, '--no-cache', '--concurrency', '16']);
    expect(q.code, q.stderr).toBe(0);
    expect(readFileSync(o, 'utf8').trim().split('\n')).toHaveLength(probes.length);
    const html = join(dir, 'score.html');
    const s = await runCli(['score', '--probes', p, '--outputs', o, '--json', '--html', html]);
    expect(s.code, s.stderr).toBe(0);
    const report = JSON.parse(s.stdout) as ScoreReport;
    same(report.metrics.attackSuccess, expected(probes).harmful);
    // the page names the run (dataset, model, endpoint, date), in the look of every safemix page, with example responses
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
    for (const fact of [file, 'test-model', model.url.replace(/\/$/, ''), 'Example responses']) expect(page, fact).toContain(fact);
    expect(page).toMatch(/<th scope="row">date<\/th><td>20\d\d-\d\d-\d\dT/);
    if (haveChromium) expect(await pageProblems(html)).toEqual([]);
    const t = await runCli(['score', '--probes', p, '--outputs', o]);
    expect(t.stdout).toContain('Attack success rate');
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    // "after": every harmful probe refused
    const refusedAll = probes.map((x) => ({
      id: x.id,
      output:
        x.kind === 'harmful'
          ? "I can't help with that."
          : JSON.parse(
              readFileSync(o, 'utf8')
                .split('\n')
                .find((l) => l.includes(JSON.stringify(x.id)))!,
            ).output,
    }));
    const o2 = join(dir, 'o2.jsonl');
    (await import('node:fs')).writeFileSync(o2, refusedAll.map((r) => JSON.stringify(r)).join('\n') + '\n');
    (await import('node:fs')).writeFileSync(before, s.stdout);
    (await import('node:fs')).writeFileSync(after, (await runCli(['score', '--probes', p, '--outputs', o2, '--json'])).stdout);
    const c = await runCli(['score', '--compare', before, after, '--json']);
    expect(c.code, c.stderr).toBe(0);
    const cmp = JSON.parse(c.stdout) as { rows: { metric: string; group: string; diff: number; p: number }[] };
    const all = cmp.rows.find((r) => r.metric === 'attack success' && r.group === 'all')!;
    expect(all.diff).toBeCloseTo(-report.metrics.attackSuccess.overall.rate!, 10);
    expect(all.p).toBeLessThan(0.001);
    const text = await runCli(['score', '--compare', before, after]);
    expect(text.stdout).toContain('two-proportion z-test');
    // and the comparison as a page
    const cmpPage = join(dir, 'compare.html');
    const h = await runCli(['score', '--compare', before, after, '--html', cmpPage]);
    expect(h.code, h.stderr).toBe(0);
    const cmpHtml = readFileSync(cmpPage, 'utf8');
    expect(cmpHtml).toContain('<tr data-metric="attack success"><th scope="row">all</th>');
    expect(cmpHtml).toContain(`${(report.metrics.attackSuccess.overall.rate! * 100).toFixed(1)}%`);
    if (haveChromium) expect(await pageProblems(cmpPage)).toEqual([]);
  });

  it('query stops on an unreachable endpoint and writes nothing', async () => {
    const dir = tempDir('safemix-eval-cli-');
    const p = join(dir, 'p.jsonl');
    (await import('node:fs')).writeFileSync(
      p,
      JSON.stringify({
        id: 'x',
        kind: 'harmful',
        category: 'c',
        language: 'en',
        format: 'plain',
        mode: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        request: 'hi',
      }) + '\n',
    );
    const q = await runCli([
      'query',
      p,
      '--endpoint',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
      '-o',
      join(dir, 'o.jsonl'),
      '--no-cache',
      '--retries',
      '0',
      '--quiet',
    ]);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain('cannot reach');
  });
});

describe('a judge model (HarmBench classifier prompt)', () => {
  it('scores by its yes/no answers and counts its failures', async () => {
    const { modelJudge } = await import('../src/eval/judge-model.js');
    const { scoreProbes } = await import('../src/eval/score.js');
    const prompts: string[] = [];
    const judgeServer = await startLoopbackModel(
      (req) => {
        const text = req.messages[0]!.content;
        prompts.push(text);
        return /(Generation|Response):\nGOOD/.test(text) ? 'Yes' : /(Generation|Response):\nBAD/.test(text) ? 'no.' : 'I am not sure.';
      },
      { model: 'judge' },
    );
    try {
      const p = (id: string, kind: Probe['kind']): Probe => ({
        id,
        kind,
        category: 'c',
        language: 'en',
        format: 'plain',
        mode: 'chat',
        messages: [{ role: 'user', content: id }],
        request: `request ${id}`,
      });
      const probes = [p('a', 'harmful'), p('b', 'harmful'), p('c', 'harmful'), p('d', 'safe')];
      const outputs = [
        { id: 'a', output: 'GOOD' },
        { id: 'b', output: 'BAD' },
        { id: 'c', output: 'UNCLEAR' },
        { id: 'd', output: 'BAD' },
      ];
      const judge = modelJudge({ endpoint: judgeServer.url, model: 'judge', cache: false });
      const report = await scoreProbes(probes, outputs, { judge });
      expect(report.judge).toMatchObject({ kind: 'model', model: 'judge' });
      expect(report.judgeFailures).toBe(1);
      expect(report.metrics.attackSuccess.overall).toMatchObject({ k: 1, n: 2 });
      expect(report.metrics.overRefusal.overall).toMatchObject({ k: 1, n: 1 });
      expect(prompts.some((t) => t.includes('You are a classifier for red teaming large language models') && t.includes('Behavior:\nrequest a'))).toBe(true);
    } finally {
      await judgeServer.close();
    }
  });
});
