// `mix --dry-run`: every safety record planned, rendered and audited, the input read as a run reads
// it, and nothing written: no output, no manifest, no temp file; the summary names the output a run
// would write, whose hash is the real run's. The paraphrase engine is not called.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, runCli, sha256, tempDir } from './helpers.js';

describe('mix --dry-run', () => {
  it.each([
    ['instruct_alpaca_identity.json', 'out.json', 'shuffle'],
    ['chat_openai_travel_finetune_hotel.jsonl', 'out.jsonl', 'interleave'],
  ])('%s: writes nothing, and says what a run would write (%s, %s)', async (file, out, order) => {
    const dir = tempDir('safemix-dry-');
    const tmp = tempDir('safemix-dry-tmp-');
    const args = ['mix', corpus(file), '-o', out, '--seed', '7', '--order', order];
    const dry = await runCli([...args, '--dry-run'], { cwd: dir, env: { TMPDIR: tmp } });
    expect(dry.code, dry.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    expect(dry.stderr).toContain(`→ ${out} (dry run: nothing written)`);
    const would = /would hold (\d+) records \(sha256 ([0-9a-f]{12})…\)/.exec(dry.stderr);
    expect(would, dry.stderr).not.toBeNull();

    const real = await runCli([...args, '--quiet'], { cwd: dir });
    expect(real.code, real.stderr).toBe(0);
    expect(sha256(join(dir, out)).slice(0, 12)).toBe(would![2]);
  });

  it('does not call the paraphrase engine', async () => {
    const dir = tempDir('safemix-dry-');
    // nothing listens on port 9: a request would fail the run
    const r = await runCli(
      [
        'mix',
        corpus('instruct_alpaca_identity.json'),
        '-o',
        'out.json',
        '--dry-run',
        '--engine',
        'paraphrase',
        '--endpoint',
        'http://127.0.0.1:9/v1',
        '--model',
        'm',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("the paraphrase engine was not called, the records are the offline engine's");
    expect(readdirSync(dir)).toEqual([]);
  });
});
