// The code is formatted by Prettier with the repository's config (.prettierrc.json, .prettierignore):
// a change that is not formatted fails here, in `npm test`, so CI holds it. `npx prettier --write .`
// formats; the frozen refusal judge is left out (its files are hashed, see docs/judge.md).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from './helpers.js';

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...codeFiles(p));
    else if (/\.(?:ts|mjs|js)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('formatting', () => {
  it('every code file of src, test, bench, scripts and bin is as Prettier writes it', async () => {
    const files = ['src', 'test', 'bench', 'scripts', 'bin'].flatMap((d) => codeFiles(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(100);
    const unformatted: string[] = [];
    for (const file of files) {
      const info = await prettier.getFileInfo(file, { ignorePath: join(ROOT, '.prettierignore') });
      if (info.ignored || !info.inferredParser) continue;
      const options = (await prettier.resolveConfig(file)) ?? {};
      if (!(await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }))) unformatted.push(relative(ROOT, file));
    }
    expect(unformatted, 'run: npx prettier --write <file>').toEqual([]);
  });
});
