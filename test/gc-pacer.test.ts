// The GC pacer takes V8's collection from a node started with --expose-gc (the bin's `#!` line and
// every process safemix starts give it) and sets no V8 flag at run time: without the flag there is no
// pacer, and no context of the process gains `gc`.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCommand } from './helpers.js';

const probe = `
import vm from 'node:vm';
const { startGcPacer, NODE_FLAGS } = await import(${JSON.stringify(join(ROOT, 'src/gc-pacer.ts'))});
const stop = startGcPacer();
console.log(JSON.stringify({ exposed: typeof globalThis.gc, fresh: vm.runInNewContext('typeof gc'), flags: NODE_FLAGS }));
stop();
`;

describe('the GC pacer', () => {
  it('sets no V8 flag at run time: a node without --expose-gc gains no gc', async () => {
    const r = await runCommand(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', probe], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ exposed: 'undefined', fresh: 'undefined', flags: ['--expose-gc'] });
  });

  it('the bin starts node with the flags the pacer needs', () => {
    const first = readFileSync(join(ROOT, 'bin/safemix.js'), 'utf8').split('\n')[0];
    expect(first).toBe('#!/usr/bin/env -S node --expose-gc');
  });
});
