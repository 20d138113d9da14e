// `npm run sample-refusals`: writes docs/sample-refusals.md, 100 refusals composed by safemix's
// refusal composer for shipped requests (50 English across the 11 categories and lengths, 50 in the
// other languages), each beside its request, so someone other than their author can review that every
// refusal fits its request. Deterministic: the same package gives the same file.
import { writeFileSync, mkdirSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { composeRefusal } from '../src/generate/refusal.js';
import { availableLanguages, loadRefusals, trainSeeds } from '../src/generate/seeds.js';
import { countTextTokens } from '../src/profile/tokens.js';
import { packageFile } from '../src/package-root.js';

const random = seedrandom('sample-refusals');
const lengths = [8, 30, 80, 150];
const rows: string[] = [];
const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

function add(lang: string, n: number): void {
  const seeds = trainSeeds(lang);
  const bank = loadRefusals(lang);
  const byCategory = new Map<string, typeof seeds>();
  for (const s of seeds) byCategory.set(s.category, [...(byCategory.get(s.category) ?? []), s]);
  const categories = [...byCategory.keys()].sort();
  for (let i = 0; i < n; i++) {
    const seed = pick(byCategory.get(categories[i % categories.length]!)!);
    const target = lengths[i % lengths.length]!;
    const { text } = composeRefusal(bank, seed, target, random);
    rows.push(
      `### ${rows.length + 1}. ${seed.id} (${lang}, ${seed.category}, target ${target} tokens, got ${countTextTokens(text)})\n\n**Request:** ${seed.request}\n\n**Refusal:** ${text}\n`,
    );
  }
}

add('en', 50);
const others = availableLanguages().filter((l) => l !== 'en');
for (let i = 0; i < 50; i++) add(others[i % others.length]!, 1);

const out = packageFile('docs/sample-refusals.md');
mkdirSync(packageFile('docs'), { recursive: true });
writeFileSync(
  out,
  `# 100 composed refusals, for review\n\nWritten by \`npm run sample-refusals\` (scripts/sample-refusals.ts): each refusal is what safemix composes for that request at the given target length, from the request's own reason and redirect and the language's refusal bank. A reviewer checks that every refusal fits its request: no reason, redirect or advice that belongs to another request.\n\n${rows.join('\n')}`,
);
console.log(`wrote ${out}: ${rows.length} refusals`);
