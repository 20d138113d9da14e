// Writes data/tokenizer/o200k_base.vocab.gz, the o200k_base vocabulary safemix counts tokens with,
// from gpt-tokenizer (a development dependency; MIT), rank by rank: `npx tsx scripts/build-o200k-vocabulary.ts`.
// Layout (before gzip): "o200k_base\n", the number of ranks as a 32-bit little-endian integer, each
// rank's byte length as a LEB128 varint, then every rank's bytes one after another. test/o200k.test.ts
// holds the file equal to gpt-tokenizer's ranks and the counts equal to its countTokens.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const ranks = (require('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: (string | number[])[] }).default;
const pieces = ranks.map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)));
const lengths: number[] = [];
for (const p of pieces) {
  let n = p.length;
  while (n >= 0x80) {
    lengths.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  lengths.push(n);
}
const count = Buffer.alloc(4);
count.writeUInt32LE(pieces.length);
const raw = Buffer.concat([Buffer.from('o200k_base\n'), count, Buffer.from(lengths), ...pieces]);
const out = new URL('../data/tokenizer/o200k_base.vocab.gz', import.meta.url);
writeFileSync(out, gzipSync(raw, { level: 9 }));
console.log(`${pieces.length} ranks, ${raw.length} bytes, ${gzipSync(raw, { level: 9 }).length} gzipped`);
