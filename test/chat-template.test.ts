// Single-field text in a chat template: `{"text": "<|im_start|>user\n…<|im_end|>\n…"}` records whose
// text is a whole conversation already rendered in a model's chat template (ChatML, Llama 3, Llama 2 /
// Mistral, Gemma, Phi-3, Zephyr). The fixtures are written here from each template's documented token
// syntax (model cards, tokenizer chat templates), not copied from any dataset. Each injected record is
// read back by a parser written here (regexes per template; nothing from src/) and must be the
// donor's template exactly: the same special tokens, role names, newlines and spacing, the system
// turn as the donor has it, the request in the user turn and a refusal in the assistant turn after it.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { isRefusal, requestIn, SEED_BY_ID } from './safety-text.js';
// only for the last block, which tests the pure module itself; the record parsers below use nothing from src/
import { inferChatTemplate, parseChat, rewriteChat } from '../src/profile/chat-template.js';

type Role = 'system' | 'user' | 'assistant';
interface Turn {
  role: Role;
  content: string;
}

interface Template {
  name: string;
  /** How the template's documentation renders a conversation. */
  render: (turns: Turn[]) => string;
  /** The turns of a text written exactly so; undefined otherwise. */
  parse: (text: string) => Turn[] | undefined;
  /** The fixture's shape: a system turn in every record, some, or none; earlier rounds in some records. */
  system: 'all' | 'some' | 'none';
  multiRound: boolean;
}

/** Turns of a text made of blocks: one sticky regex per turn (group 1 the role as written, 2 the content), a fixed head and tail. */
function blockParser(head: string, turn: RegExp, tail: string, roleOf: (written: string) => Role | undefined) {
  return (text: string): Turn[] | undefined => {
    if (!text.startsWith(head) || !text.endsWith(tail)) return undefined;
    const end = text.length - tail.length;
    const turns: Turn[] = [];
    let at = head.length;
    while (at < end) {
      turn.lastIndex = at;
      const m = turn.exec(text);
      if (!m || turn.lastIndex > end) return undefined;
      const role = roleOf(m[1]!);
      if (!role) return undefined;
      turns.push({ role, content: m[2]! });
      at = turn.lastIndex;
    }
    return at === end ? turns : undefined;
  };
}

const plainRole = (r: string): Role | undefined => (r === 'system' || r === 'user' || r === 'assistant' ? r : undefined);

/** Llama 2 rounds: `<s>[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST] … </s>`, the system block only in the first. */
function parseLlama2(text: string): Turn[] | undefined {
  const round = /<s>\[INST\] (?:<<SYS>>\n([^]*?)\n<<\/SYS>>\n\n)?([^]*?) \[\/INST\] ([^]*?) <\/s>/y;
  const turns: Turn[] = [];
  let at = 0;
  while (at < text.length) {
    round.lastIndex = at;
    const m = round.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) {
      if (turns.length) return undefined;
      turns.push({ role: 'system', content: m[1] });
    }
    if (/\[\/?INST\]|<\/?s>/.test(m[2]! + m[3]!)) return undefined;
    turns.push({ role: 'user', content: m[2]! }, { role: 'assistant', content: m[3]! });
    at = round.lastIndex;
  }
  return turns.length ? turns : undefined;
}

function renderLlama2(turns: Turn[]): string {
  const system = turns[0]?.role === 'system' ? turns[0].content : undefined;
  const rest = system === undefined ? turns : turns.slice(1);
  let out = '';
  for (let i = 0; i < rest.length; i += 2)
    out += `<s>[INST] ${i === 0 && system !== undefined ? `<<SYS>>\n${system}\n<</SYS>>\n\n` : ''}${rest[i]!.content} [/INST] ${rest[i + 1]!.content} </s>`;
  return out;
}

const TEMPLATES: Template[] = [
  {
    name: 'ChatML',
    render: (turns) => turns.map((t) => `<|im_start|>${t.role}\n${t.content}<|im_end|>\n`).join(''),
    parse: blockParser('', /<\|im_start\|>(\w+)\n([^]*?)<\|im_end\|>\n/y, '', plainRole),
    system: 'all',
    multiRound: true,
  },
  {
    name: 'Llama 3',
    render: (turns) => `<|begin_of_text|>${turns.map((t) => `<|start_header_id|>${t.role}<|end_header_id|>\n\n${t.content}<|eot_id|>`).join('')}`,
    parse: blockParser('<|begin_of_text|>', /<\|start_header_id\|>(\w+)<\|end_header_id\|>\n\n([^]*?)<\|eot_id\|>/y, '', plainRole),
    system: 'some',
    multiRound: false,
  },
  { name: 'Llama 2 / Mistral', render: renderLlama2, parse: parseLlama2, system: 'some', multiRound: true },
  {
    name: 'Gemma',
    render: (turns) => `<bos>${turns.map((t) => `<start_of_turn>${t.role === 'assistant' ? 'model' : 'user'}\n${t.content}<end_of_turn>\n`).join('')}`,
    parse: blockParser('<bos>', /<start_of_turn>(\w+)\n([^]*?)<end_of_turn>\n/y, '', (r) => (r === 'user' ? 'user' : r === 'model' ? 'assistant' : undefined)),
    system: 'none',
    multiRound: true,
  },
  {
    name: 'Phi-3',
    render: (turns) => `${turns.map((t) => `<|${t.role}|>\n${t.content}<|end|>\n`).join('')}<|endoftext|>`,
    parse: blockParser('', /<\|(\w+)\|>\n([^]*?)<\|end\|>\n/y, '<|endoftext|>', plainRole),
    system: 'some',
    multiRound: false,
  },
  {
    name: 'Zephyr',
    render: (turns) => turns.map((t) => `<|${t.role}|>\n${t.content}</s>\n`).join(''),
    parse: blockParser('', /<\|(\w+)\|>\n([^]*?)<\/s>\n/y, '', plainRole),
    system: 'all',
    multiRound: false,
  },
];

// varied benign content: household questions with answers of different lengths, marks and line counts
const THINGS = [
  'a sourdough starter',
  'a squeaky door hinge',
  'tomato seedlings',
  'a slow laptop',
  'a rusty bike chain',
  'watercolour paper',
  'a dripping tap',
  'a sticky zipper',
  'a cast iron pan',
  'an old leather jacket',
  'a wobbly table',
  'a cloudy fish tank',
  'a noisy fridge',
];
const ASKS = [
  (t: string) => `How do I look after ${t}?`,
  (t: string) => `What is the quickest way to deal with ${t}`,
  (t: string) => `Give me three tips for ${t}.`,
  (t: string) => `Is it worth repairing ${t}, or should I replace it?`,
  (t: string) => `My neighbour says ${t} needs oil every week. True?`,
];
const ANSWERS = [
  (t: string, i: number) => `Keep it simple: clean ${t}, check it weekly and write down what changes (note ${i}).`,
  (t: string) => `Usually yes. ${t[0]!.toUpperCase()}${t.slice(1)} rarely needs more than ten minutes of care.`,
  (t: string) => `1. Clean ${t}.\n2. Let it dry completely.\n3. Check it again after a week.`,
  (t: string, i: number) =>
    `It depends on its age. If ${t} is older than ${3 + (i % 7)} years, a replacement is often cheaper than the parts; otherwise a repair takes an afternoon and a few basic tools.`,
  () => 'Not really.',
];
const SYSTEMS = ['You are a helpful assistant.', 'You are a patient home-repair expert. Answer briefly.'];
const USERS = 80;

function conversation(tpl: Template, i: number): Turn[] {
  const turns: Turn[] = [];
  const system = tpl.system === 'all' || (tpl.system === 'some' && i % 2 === 0);
  if (system) turns.push({ role: 'system', content: SYSTEMS[i % 3 === 0 ? 1 : 0]! });
  const rounds = tpl.multiRound ? 1 + (i % 3 === 1 ? 1 : 0) + (i % 5 === 2 ? 1 : 0) : 1;
  for (let r = 0; r < rounds; r++) {
    const t = THINGS[(i * 7 + r * 3) % THINGS.length]!;
    turns.push({ role: 'user', content: ASKS[(i + r) % ASKS.length]!(t) }, { role: 'assistant', content: ANSWERS[(i * 3 + r) % ANSWERS.length]!(t, i) });
  }
  return turns;
}

/** A conversation's token skeleton: the text with every content replaced by `§`. */
const skeleton = (tpl: Template, turns: Turn[]) => tpl.render(turns.map((t) => ({ ...t, content: '§' })));

/**
 * What an injected record keeps of its donor: the system turn and as many rounds, every other content
 * new (earlier rounds are benign exchanges written for the record, the last one the request and its answer).
 */
function expectedTurns(donor: Turn[]): Turn[] {
  return donor.map((t, i) => (i === 0 && t.role === 'system' ? t : { role: t.role, content: '§' }));
}

interface Manifest {
  injected: { index: number; donor: number; seedId: string; fields: Record<string, string> }[];
  balanceRecords?: { index: number; donor: number }[];
  audit: { mode: string; records: number; passed: number };
}

const fileName = (tpl: Template) => `${tpl.name.replace(/\W+/g, '_').toLowerCase()}.jsonl`;

function writeFixture(dir: string, tpl: Template): { rows: string[]; convs: Turn[][] } {
  const convs = Array.from({ length: USERS }, (_, i) => conversation(tpl, i));
  const rows = convs.map((c) => JSON.stringify({ text: tpl.render(c) }));
  writeFileSync(join(dir, fileName(tpl)), rows.join('\n') + '\n');
  return { rows, convs };
}

describe('chat-template text: the injected records are written in the donor template, byte for byte around their contents', () => {
  for (const tpl of TEMPLATES) {
    it(`${tpl.name}`, async () => {
      const dir = tempDir();
      const { rows, convs } = writeFixture(dir, tpl);
      // the fixture is what the parser here reads, exactly
      for (const [i, c] of convs.entries()) expect(tpl.parse(JSON.parse(rows[i]!).text)).toEqual(c);
      const file = fileName(tpl);
      const r = await runCli(['mix', file, '-o', 'out.jsonl', '--count', '20', '--seed', '1', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const out = readFileSync(join(dir, 'out.jsonl'), 'utf8');
      const lines = out.trimEnd().split('\n');
      const m = JSON.parse(readFileSync(join(dir, 'out.jsonl.manifest.json'), 'utf8')) as Manifest;
      expect(m.injected).toHaveLength(20);
      const balance = m.balanceRecords ?? [];
      expect(lines).toHaveLength(USERS + 20 + balance.length);
      expect(m.audit.mode).toBe('strict');
      expect(m.audit.passed).toBe(m.audit.records);

      // the user's records, byte for byte, in order
      const generated = new Set([...m.injected, ...balance].map((e) => e.index));
      expect(lines.filter((_, i) => !generated.has(i))).toEqual(rows);

      const userSkeletons = new Set(convs.map((c) => skeleton(tpl, c)));
      let multiDonors = 0;
      const refusals = new Set(m.injected);
      for (const e of [...m.injected, ...balance]) {
        const value = JSON.parse(lines[e.index]!) as Record<string, unknown>;
        expect(Object.keys(value)).toEqual(['text']);
        const text = value.text as string;
        const turns = tpl.parse(text);
        expect(turns, text).toBeDefined();
        // read back exactly: no byte of the text is outside the template or its contents
        expect(tpl.render(turns!)).toBe(text);
        const donor = convs[e.donor]!;
        if (donor.filter((t) => t.role === 'user').length > 1) multiDonors++;
        const want = expectedTurns(donor);
        expect(turns!.map((t) => t.role)).toEqual(want.map((t) => t.role));
        expect(skeleton(tpl, turns!)).toBe(skeleton(tpl, want));
        expect(userSkeletons.has(skeleton(tpl, turns!))).toBe(true);
        // the system turn as the donor has it
        if (want[0]!.role === 'system') expect(turns![0]!.content).toBe(want[0]!.content);
        const [user, assistant] = turns!.slice(-2);
        // nothing of the donor's own exchanges, in any round
        for (const t of donor.filter((x) => x.role !== 'system'))
          for (const mine of turns!.filter((x) => x.role !== 'system')) expect(mine.content).not.toBe(t.content);
        expect(user!.content.trim()).toBe(user!.content);
        expect(assistant!.content.trim()).toBe(assistant!.content);
        expect(assistant!.content.length).toBeGreaterThan(0);
        if (refusals.has(e as Manifest['injected'][number])) {
          const seed = SEED_BY_ID.get((e as Manifest['injected'][number]).seedId)!;
          expect(requestIn(user!.content, seed), user!.content).toBe(true);
          expect(isRefusal(assistant!.content), assistant!.content).toBe(true);
          expect((e as Manifest['injected'][number]).fields.text).toMatch(
            new RegExp(`^${tpl.name.replace(/[/]/g, '\\/')}: the request in the last \\S+ turn, the refusal in the \\S+ turn after it`),
          );
        }
      }
      if (tpl.multiRound) {
        expect(multiDonors).toBeGreaterThan(0);
        expect(m.injected.some((e) => /earlier round\(s\) rewritten with benign exchanges/.test(e.fields.text ?? ''))).toBe(true);
      }

      // the same seed twice: the same bytes
      const again = await runCli(['mix', file, '-o', 'again.jsonl', '--count', '20', '--seed', '1', '--quiet'], { cwd: dir });
      expect(again.code, again.stderr).toBe(0);
      expect(readFileSync(join(dir, 'again.jsonl'), 'utf8')).toBe(out);
    });
  }
});

describe('chat-template text: validate and inspect', () => {
  it('validate passes a ChatML file; inspect names the template and where the request and refusal go', async () => {
    const dir = tempDir();
    const tpl = TEMPLATES[0]!;
    writeFixture(dir, tpl);
    const v = await runCli(['validate', fileName(tpl)], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/valid: 0 error\(s\)/);
    const i = await runCli(['inspect', fileName(tpl)], { cwd: dir });
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toContain(
      `chat template ChatML: ${USERS} of ${USERS} sampled texts: request in the last user turn, refusal in the assistant turn after it`,
    );
    const j = await runCli(['inspect', fileName(tpl), '--json'], { cwd: dir });
    expect(j.code, j.stderr).toBe(0);
    const report = JSON.parse(j.stdout) as {
      roles: { chatTemplate?: { name: string; parsed: number; sampled: number; system: number; multiRound: number }; sections?: unknown };
      answerSpace: { kind: string };
    };
    expect(report.roles.chatTemplate).toMatchObject({ name: 'chatml', parsed: USERS, sampled: USERS, system: 1 });
    expect(report.roles.chatTemplate!.multiRound).toBeCloseTo(convsMulti(tpl), 5);
    expect(report.roles.sections).toBeUndefined();
    // the answers are the assistant turns' free text
    expect(report.answerSpace.kind).toBe('text');
  });

  it('a file where fewer than 90% of the texts are in one template is plain text, not a chat template', async () => {
    const dir = tempDir();
    const tpl = TEMPLATES[0]!;
    const rows = Array.from({ length: USERS }, (_, i) =>
      JSON.stringify({ text: i % 5 === 0 ? `Question ${i}: what is ${i} plus 2? Answer: ${i + 2}.` : tpl.render(conversation(tpl, i)) }),
    );
    writeFileSync(join(dir, 'mixed.jsonl'), rows.join('\n') + '\n');
    const j = await runCli(['inspect', 'mixed.jsonl', '--json'], { cwd: dir });
    expect(j.code, j.stderr).toBe(0);
    expect((JSON.parse(j.stdout) as { roles: { chatTemplate?: unknown } }).roles.chatTemplate).toBeUndefined();
  });
});

function convsMulti(tpl: Template): number {
  const convs = Array.from({ length: USERS }, (_, i) => conversation(tpl, i));
  return convs.filter((c) => c.filter((t) => t.role === 'user').length > 1).length / USERS;
}

// ---------------------------------------------------------------------------------------------
// The pure module itself (src/profile/chat-template.ts): the only block of this file that imports
// from src/ (imported at the top), for what a CLI run cannot reach today (benign rounds, Mistral's
// single <s>, a request holding a template token). The parsers above import nothing from src/.
// ---------------------------------------------------------------------------------------------

describe('chat-template module', () => {
  const contents = (text: string, name: Parameters<typeof parseChat>[1]) => parseChat(text, name)?.turns.map((t) => [t.role, text.slice(t.start, t.end)]);

  it('Mistral: one <s>, no spaces required, no system block; Llama 2: the system block inside the first [INST]', () => {
    expect(contents('<s>[INST] Hi there [/INST] Hello!</s>[INST] And now? [/INST] Still here.</s>', 'llama2')).toEqual([
      ['user', 'Hi there'],
      ['assistant', 'Hello!'],
      ['user', 'And now?'],
      ['assistant', 'Still here.'],
    ]);
    expect(contents('<s>[INST]q[/INST]a</s>', 'llama2')).toEqual([
      ['user', 'q'],
      ['assistant', 'a'],
    ]);
    expect(contents('<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nWhy? [/INST] Because. </s>', 'llama2')).toEqual([
      ['system', 'Be brief.'],
      ['user', 'Why?'],
      ['assistant', 'Because.'],
    ]);
    // a system block in a later round is not Llama 2's
    expect(parseChat('<s>[INST] a [/INST] b </s><s>[INST] <<SYS>>\nx\n<</SYS>>\n\nc [/INST] d </s>', 'llama2')).toBeUndefined();
  });

  it('a text with bytes outside the template, or a turn left open, does not parse', () => {
    expect(parseChat('note: <|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\na<|im_end|>\n', 'chatml')).toBeUndefined();
    expect(parseChat('<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\na', 'chatml')).toBeUndefined();
    expect(parseChat('<|user|>\nq<|end|>\n<|assistant|>\na<|end|>\n', 'zephyr')).toBeUndefined();
    expect(contents('<|user|>\nq<|end|>\n<|assistant|>\na<|end|>\n<|endoftext|>', 'phi3')).toEqual([
      ['user', 'q'],
      ['assistant', 'a'],
    ]);
  });

  it('benign exchanges rewrite the earlier rounds: the donor keeps its number of rounds and none of its content', () => {
    const text =
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nq1<|im_end|>\n<|im_start|>assistant\na1<|im_end|>\n<|im_start|>user\nq2<|im_end|>\n<|im_start|>assistant\na2<|im_end|>\n';
    const out = rewriteChat(text, parseChat(text, 'chatml')!, { request: 'REQ', answer: 'NO', benign: [{ prompt: 'B?', answer: 'B.' }] });
    expect(out).toMatchObject({ rounds: 'benign', earlier: 1, system: true, removed: 0 });
    expect(out!.text).toBe(
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nB?<|im_end|>\n<|im_start|>assistant\nB.<|im_end|>\n<|im_start|>user\nREQ<|im_end|>\n<|im_start|>assistant\nNO<|im_end|>\n',
    );
    const without = rewriteChat(text, parseChat(text, 'chatml')!, { request: 'REQ', answer: 'NO' });
    expect(without).toMatchObject({ rounds: 'left out', earlier: 1 });
    expect(without!.text).toBe('<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nREQ<|im_end|>\n<|im_start|>assistant\nNO<|im_end|>\n');
  });

  it("a given system content replaces the donor's (a system prompt only that donor had), every token kept", () => {
    const text = '<|im_start|>system\nYou help customer 4711 at 3 Elm St.<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\na<|im_end|>\n';
    const out = rewriteChat(text, parseChat(text, 'chatml')!, { request: 'REQ', answer: 'NO', system: 'You are a helpful assistant.' });
    expect(out!.text).toBe(
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nREQ<|im_end|>\n<|im_start|>assistant\nNO<|im_end|>\n',
    );
  });

  it('turns after the answer are removed, the trailing bytes kept; Llama 2 keeps its system block when rounds are left out', () => {
    const text =
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nq<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\na<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nthanks<|eot_id|><|end_of_text|>';
    const out = rewriteChat(text, parseChat(text, 'llama3')!, { request: 'R', answer: 'N' });
    expect(out).toMatchObject({ removed: 1, rounds: 'none' });
    expect(out!.text).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nR<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nN<|eot_id|><|end_of_text|>',
    );
    const l2 = '<s>[INST] <<SYS>>\nS\n<</SYS>>\n\nq1 [/INST] a1 </s><s>[INST] q2 [/INST] a2 </s>\n';
    expect(rewriteChat(l2, parseChat(l2, 'llama2')!, { request: 'R', answer: 'N' })!.text).toBe('<s>[INST] <<SYS>>\nS\n<</SYS>>\n\nR [/INST] N </s>\n');
  });

  it('a request holding a template token is not written (the text would not read back as the same turns)', () => {
    const text = '<start_of_turn>user\nq<end_of_turn>\n<start_of_turn>model\na<end_of_turn>\n';
    expect(rewriteChat(text, parseChat(text, 'gemma')!, { request: 'x<end_of_turn>\n<start_of_turn>model\ny', answer: 'N' })).toBeUndefined();
  });

  it('a template is chosen when at least 90% of the texts parse with it', () => {
    const chat = (i: number) => `<|system|>\nS</s>\n<|user|>\nq${i}</s>\n<|assistant|>\na${i}</s>\n`;
    const texts = (bad: number) => Array.from({ length: 100 }, (_, i) => (i < bad ? `plain text ${i}` : chat(i)));
    expect(inferChatTemplate(texts(10))).toMatchObject({
      name: 'zephyr',
      parsed: 90,
      sampled: 100,
      evidence: 'Zephyr: 90 of 100 sampled texts',
      system: 1,
      multiRound: 0,
    });
    expect(inferChatTemplate(texts(11))).toBeUndefined();
  });
});
