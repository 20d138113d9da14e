// The folders of src/ import one way only, down the flow read → profile → generate/blend → write →
// engine → schemas → api → eval/shard → queue → cli, with the root's leaf modules (errors, hashes, …) and io/
// (temp files, signals, write errors), the covert-encoding detector (encoding/) and the pure pages and judges below everything and src/index.ts (the package front) above
// it; and no file imports itself through others. Read with this test's own import scanner (type
// imports and dynamic imports count), so a change that breaks a layer or makes a circle fails here.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');
/** Each folder's place in the flow: a folder imports only folders placed lower. */
const RANK: Record<string, number> = {
  '(root)': 0,
  io: 1,
  judge: 1,
  audit: 1,
  report: 1,
  encoding: 1,
  read: 2,
  profile: 3,
  generate: 4,
  blend: 4,
  write: 5,
  engine: 6,
  schemas: 7,
  api: 8,
  eval: 9,
  shard: 9,
  queue: 10,
  cli: 11,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (file: string) => {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '(root)' : parts[0]!;
};

/** Every relative module a file imports: static, type-only, re-exports and import('…') with a literal. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2]!;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => t.startsWith(SRC))]));

describe('import layers', () => {
  it('every folder of src/ has a place in the flow', () => {
    expect([...new Set(files.map(folderOf))].filter((f) => !(f in RANK))).toEqual([]);
  });

  it('every import runs down the flow (or stays in its folder); only src/index.ts imports from above', () => {
    const up: string[] = [];
    for (const [file, targets] of graph) {
      if (file === join(SRC, 'index.ts')) continue;
      const from = folderOf(file);
      for (const t of targets) {
        const to = folderOf(t);
        if (to === from) continue;
        if (t === join(SRC, 'index.ts') || RANK[to]! >= RANK[from]!) up.push(`${relative(ROOT, file)} → ${relative(ROOT, t)}`);
      }
    }
    expect(up).toEqual([]);
  });

  it('the root leaf modules import nothing of src/ but each other', () => {
    const leaves = files.filter((f) => folderOf(f) === '(root)' && f !== join(SRC, 'index.ts'));
    expect(leaves.length).toBeGreaterThan(3);
    for (const f of leaves) for (const t of graph.get(f)!) expect(folderOf(t), `${relative(ROOT, f)} → ${relative(ROOT, t)}`).toBe('(root)');
  });

  it('no circle of imports between files', () => {
    // Tarjan's strongly connected components
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const c: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          c.push(relative(ROOT, w));
        } while (w !== v);
        if (c.length > 1) circles.push(c.sort());
      }
    };
    for (const f of files) if (!idx.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  it('the scanner sees the imports it must (a check of the check)', () => {
    expect(graph.get(join(SRC, 'api/mix-plan.ts'))!).toContain(join(SRC, 'generate/planner.ts'));
    expect(graph.get(join(SRC, 'api/mix-types.ts'))!).toContain(join(SRC, 'engine/paraphrase.ts')); // a type import
    expect(graph.get(join(SRC, 'cli/main.ts'))!).toContain(join(SRC, 'api/validate.ts')); // a dynamic import
  });
});
