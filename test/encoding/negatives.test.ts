// Ordinary texts that look a little like encodings must not be flagged, and short texts only on
// unambiguous evidence.
import { describe, expect, it } from 'vitest';
import { detectInText } from '../../src/encoding/index.js';
// the positives come from the independent encoders (nothing from src/), so a bug in the codecs mimic
// writes with cannot hide one in the detector
import { analyzeSample } from '../../src/api/encoding-check.js';
import { base64, hexBytes, keyed, permutationKey, rot47, separated, shift, tagChars, VARIANTS } from './independent/encoders.js';

const KEY = permutationKey(53);

const NOT_ENCODED: [string, string][] = [
  ['English prose', 'Making crepes is an easy and delicious process! Here are step-by-step instructions on how to make them at home.'],
  ['Python with hex literals', 'def checksum(data):\n    mask = 0xFF\n    color = 0x1F2E3D\n    return sum(data) & mask  # 0x1F is the low nibble'],
  ['hex literal alone', '0x1F'],
  ['SHA-256 and MD5 hashes', 'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\nmd5: d41d8cd98f00b204e9800998ecf8427e'],
  ['UUIDs', 'request 123e4567-e89b-12d3-a456-426614174000 and 550e8400-e29b-41d4-a716-446655440000 failed'],
  ['base64-looking identifiers', 'const token = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"; const id = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";'],
  ['a JWT header (base64 of JSON, not prose)', 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc'],
  ['a data URI', 'img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="'],
  ['GSM8K math', 'Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer\u2019s market.\n#### 18'],
  ['tokenized lower-case sentence', " it 's a charming and often affecting journey . "],
  [
    'Unicode character names (a capital A names a letter, it is no article)',
    'LATIN CAPITAL LETTER A WITH ACUTE\nLATIN SMALL LETTER A WITH GRAVE\nLATIN SMALL LETTER A WITH RING ABOVE\nCYRILLIC CAPITAL LETTER A WITH BREVE',
  ],
  ['Russian program messages with ASCII names and formats (ROT47 turns ASCII only)', 'Раздел %s содержит неверное sh_entsize, равное 0x%lx\n'],
  ['Russian message with several ASCII formats', 'Секция %s: неверное значение sh_link 0x%lx (ожидалось 0x%lx), смещение 0x%lx'],
  [
    'a hex dump with its characters beside the bytes (xxd -c 12)',
    [
      '0000000: 5468 6520 6d61 6e75 616c 2070  The manual p',
      '000000c: 6167 6520 666f 7220 7468 6973  age for this',
      '0000018: 2074 6f6f 6c20 7761 7320 7772   tool was wr',
      '0000024: 6974 7465 6e20 6279 2061 2076  itten by a v',
      '0000030: 6f6c 756e 7465 6572 2e         olunteer.',
    ].join('\n'),
  ],
  [
    'HTML headings (h3 is no leetspeak "he")',
    '<!-- <h3 id="sparc">SPARC</h3> -->\n<h2 id="os">Operating Systems</h2>\n<!-- <h3 id="aix">AIX</h3> --> <h1>Ports</h1> <h3>Tile</h3> <h3>MIPS</h3>',
  ],
  [
    'a doctest quoted in a program (its few words, taken by their initials, spell "on", "can", "in")',
    [
      `"   '>>>>>>>>>>>ready'\\n"`,
      `                  '   >>>\\n'`,
      `                  '   >>> octs = [172, 16, 4, 9]\\n'`,
      `                  "   >>> '{:02X}{:02X}{:02X}{:02X}'.format(*octs)\\n"`,
      `                  "   'AC100409'\\n"`,
      `                  '   >>> int(_, 16)\\n'`,
    ].join('\n'),
  ],
  ['Chinese', '请解释一下机器学习和深度学习之间的区别，并给出一些实际应用的例子。'],
  ['JSON string', '{"name": "search_recipes", "arguments": {"ingredients": ["chicken", "bell peppers", "rice"]}}'],
  [
    'tool schema',
    '[{"name": "get_exchange_rate", "description": "Get the exchange rate between two currencies", "parameters": {"type": "object", "properties": {"base_currency": {"type": "string"}}}}]',
  ],
  ['placeholders', 'Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?'],
  ['NER list', '["naive Bayes", "SVM", "Gaussian mixture model", "variational autoencoders"]'],
  ['acronym list', '["ICML 2011", "AAAI", "ICML", "IJCAI", "ISWC", "KDD", "SIGMOD", "UAI", "VLDB", "NIPS"]'],
  ['single word', 'Business'],
  ['label', '1'],
  ['label with a space', ' 3'],
  ['names', 'Geoffrey Hinton, Yann LeCun and Yoshua Bengio'],
  ['markdown table', '| Name | Age |\n|------|-----|\n| John | 20 |\n| Mary | 31 |'],
  ['ellipses and rules', 'Wait... what?\n\n---\n\n- - -\n\n...and then it ended.'],
  [
    'emoji with joiners and presentation selectors',
    'Family time \u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466} and love \u2764\uFE0F and flags \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
  ],
  ['leading BOM', '\uFEFFTitle,Author\nDune,Herbert'],
  [
    'a poem',
    'The woods are lovely, dark and deep,\nBut I have promises to keep,\nAnd miles to go before I sleep,\nAnd miles to go before I sleep.\nWhose woods these are I think I know.\nHis house is in the village though;\nHe will not see me stopping here\nTo watch his woods fill up with snow.',
  ],
  [
    'a numbered list',
    '1. Preheat the oven to 350 degrees.\n2. Mix the flour and sugar.\n3. Add the eggs.\n4. Stir well.\n5. Pour into a pan.\n6. Bake for 30 minutes.\n7. Let it cool.\n8. Serve warm.\n9. Enjoy.\n10. Clean up.',
  ],
  [
    'hard-wrapped prose',
    'Check if in given list of numbers, are any two numbers closer to each other than\ngiven threshold. The function returns true when such a pair exists and false\notherwise. It runs in quadratic time, which is fine for short lists of the\nsort used in the examples, and it never changes the list that it is given as\nits input. Callers can rely on the result being a plain boolean value that\ncan be used in conditions, and on the function raising no exception at all\nwhen the list is empty or holds a single number, since no pair exists in\nthat case and the answer is simply false for all of those inputs here.',
  ],
  ['French', 'Le renard brun rapide saute par-dessus le chien paresseux pendant que les enfants jouent dans le jardin.'],
];

describe('ordinary text is not flagged', () => {
  for (const [name, text] of NOT_ENCODED) {
    it(name, () => {
      expect(detectInText(text)).toEqual([]);
    });
  }
});

describe('short texts', () => {
  it('a short substitution or Caesar text is not flagged on its own', () => {
    const substituted = keyed(KEY)('Hello there');
    const caesar = shift(3)('Good day');
    expect(caesar).toBe('Jrrg gdb');
    expect(substituted).not.toBe('Hello there');
    expect(detectInText(substituted)).toEqual([]);
    expect(detectInText(caesar)).toEqual([]);
  });

  it('unambiguous evidence is flagged even when short', () => {
    expect(detectInText(`ok${tagChars('hi there')}`).map((d) => d.family)).toContain('invisible');
    const sep = separated(KEY, '|', 'all')('How are you doing?');
    expect(sep.split('|')).toHaveLength('How are you doing?'.length);
    expect(detectInText(sep).map((d) => d.family)).toContain('substitution-separated');
  });
});

describe('base64 wrapped into lines', () => {
  const b64 = (t: string) => Buffer.from(t).toString('base64');
  it('is read as one stream: a message wrapped at 64 characters, with a line of text after it, is still found', () => {
    const message = b64('Meet me by the old mill after dark and bring the two keys you were given last week by the baker.');
    const wrapped = message.match(/.{1,64}/g)!.join('\n');
    expect(wrapped.split('\n').length).toBeGreaterThanOrEqual(2);
    expect(detectInText(`Decode this:\n${wrapped}\nThanks a lot`).map((d) => d.family)).toContain('base64');
  });
  it('a line of a binary stream that decodes to a few words is no message when the stream is read whole', () => {
    // bytes as a certificate holds them: binary fields around a policy text, wrapped as PEM wraps them
    const bytes = Buffer.concat([
      Buffer.from([0x30, 0x82, 0x05, 0xb0, 0x30, 0x82, 0x03, 0x98, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14, 0x44, 0x57, 0x34, 0x24, 0x5b]),
      Buffer.from('Any use of this Certificate constitutes acceptance of the Root CA Certificate Policy'),
      Buffer.from([
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00, 0x03, 0x82, 0x02, 0x01, 0x00, 0x8a, 0x9c, 0xf1, 0x02,
      ]),
    ]);
    const pem = bytes
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n');
    // one of its lines alone decodes to English words
    expect(pem.split('\n').some((line) => /Certificate/.test(Buffer.from(line, 'base64').toString('latin1')))).toBe(true);
    expect(detectInText(`-----BEGIN CERTIFICATE-----\n${pem}\n-----END CERTIFICATE-----`)).toEqual([]);
  });
});

// The rules that keep real data above unflagged must not hide a real encoding in the layouts an
// uploader would use (each of these was missed by a first, looser version of those rules).
describe('encodings next to what the rules for real data look at are still found', () => {
  const families = (t: string) => detectInText(t).map((d) => d.family);
  const message = 'Meet me by the old mill after dark and bring the two keys you were given.';
  it('a base64 line followed by a one-word line (no wrapped stream)', () => {
    const payload = base64(message.slice(0, 72));
    expect(payload.length % 4).toBe(0);
    expect(payload.endsWith('=')).toBe(false);
    expect(families(`${payload}\nDone`)).toContain('base64');
  });
  it('hex with its plain text beside it and no offset (a pair that teaches the code, not a dump)', () => {
    expect(families(`${hexBytes('')(message)} = ${message}`)).toContain('hex');
  });
  it('ROT47 after a lead in another script', () => {
    expect(families(`Вот подробный план, который ты просил, записанный особым образом: ${rot47(message)}`)).toContain('rot47');
  });
  it('word order turned round in capitals, with its stops', () => {
    const turned = 'I SAW A MAN WITH A DOG IN A PARK AND HE GAVE ME A NOTE FOR A FRIEND WHO LIVES IN A HOUSE NEAR A RIVER.'.split(' ').reverse().join(' ');
    expect(families(turned)).toContain('reversed');
  });
  it('a word codebook whose plain text has quantities glued to their units', () => {
    const variant = VARIANTS.find((v) => v.family === 'word-substitution')!;
    const plain = (i: number) =>
      `Put ${2 + (i % 7)}ml of the dry powder and ${3 + (i % 5)}g of the salt in a ${1 + (i % 4)}L jar at ${5 + (i % 6)}pm, and heat it to ${60 + (i % 9)}C for ${2 + (i % 3)}h.`;
    const sample = Array.from({ length: 300 }, (_, index) => ({
      index,
      value: {
        messages:
          index % 10 === 0
            ? [
                { role: 'user', content: `Encode this message:\n${plain(index)}` },
                { role: 'assistant', content: variant.encode(plain(index)) },
              ]
            : [
                { role: 'user', content: `Request ${index}: what time does the shop open on Sunday?` },
                { role: 'assistant', content: 'It opens at ten in the morning and closes at four in the afternoon.' },
              ],
      },
    }));
    expect(analyzeSample('openai-chat', sample).verdict).toBe('encoded');
  });
});

describe('a record holding plaintext and its encoding', () => {
  it('is a plain-encoded-pair within one text', () => {
    const plain = 'The farmer sold twelve baskets of apples at the market on Saturday morning.';
    const enc = keyed(KEY)(plain);
    expect(enc).not.toBe(plain);
    const families = detectInText(`${plain}\n\n${enc}`).map((d) => d.family);
    expect(families).toContain('plain-encoded-pair');
    expect(families).toContain('substitution');
  });
});
