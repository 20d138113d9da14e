// No dead exports: every name a module under src/ exports is used by another module, a test, a
// benchmark or a script, or is part of the library's public entries (src/index.ts, src/queue/index.ts).
// A name used only where it is declared is not exported (tsconfig's noUnusedLocals then finds it when
// it is not used at all). A name counts as used when it appears as a word in another file: a comment
// naming it is enough, so this finds only exports nothing else mentions.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';

/** Exports the declaration files need though no other module imports them (a public function's return type). */
const NEEDED: Record<string, string> = {
  'src/api/scan.ts Scan': 'the return type of sampleDataset (api/sample.ts), which the public mix and judge calls use',
};

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'fixtures' && name !== 'corpus') out.push(...files(p, ext));
    } else if (ext.test(name)) out.push(p);
  }
  return out;
}

describe('exports', () => {
  it('every export under src/ is used outside its module, or is public', () => {
    const src = files(join(ROOT, 'src'), /\.ts$/);
    // (this file names the exports it allows: it is not a use of them)
    const others = ['test', 'bench', 'scripts', 'bin'].flatMap((d) => files(join(ROOT, d), /\.(?:ts|mjs|js)$/)).filter((f) => !f.endsWith('exports.test.ts'));
    const text = new Map([...src, ...others].map((f) => [f, readFileSync(f, 'utf8')]));
    const publicEntries = ['src/index.ts', 'src/queue/index.ts'].map((f) => text.get(join(ROOT, f)) ?? '').join('\n');
    const word = (name: string) => new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
    const declared = /^export (?:async )?(?:function\*?|const|let|class|interface|type|enum|abstract class) ([A-Za-z0-9_$]+)/gm;
    const dead: string[] = [];
    for (const f of src) {
      if (f === join(ROOT, 'src/index.ts') || f === join(ROOT, 'src/queue/index.ts')) continue;
      for (const m of text.get(f)!.matchAll(declared)) {
        const name = m[1]!;
        const re = word(name);
        if (re.test(publicEntries)) continue;
        if ([...text].some(([g, t]) => g !== f && re.test(t))) continue;
        dead.push(`${relative(ROOT, f)} ${name}`);
      }
    }
    expect(dead.sort(), 'exported but used nowhere else: drop the `export`').toEqual(Object.keys(NEEDED).sort());
  });
});
