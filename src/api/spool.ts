// Spools an input that cannot be read twice (standard input, records given to mixRecords) to a
// temp file that mix reads as it reads a file; and sweeps the spools, shuffle indexes and manifest
// lists dead safemix processes left behind.
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafemixError } from '../errors.js';
import { writeError } from '../io/io-error.js';
import { classifyInput, inputKindError, KIND_WINDOW } from '../read/input-kind.js';
import { parseRunTag, runIsOver, runTag } from '../io/run-identity.js';
import { onAbort, pausePoint } from '../io/cleanup.js';
import { MANIFEST_SPOOL_LEAD } from '../write/injected-spool.js';
import { INDEX_DIR_LEAD } from '../read/record-index.js';

/** The name of the temp folder that holds the plan of a multi-file mix (shard/mix-files.ts). */
export const PLAN_SPOOL_LEAD = 'safemix-plan-';

/** The largest standard input mix spools by default (`--max-stdin-bytes`). */
export const MAX_STDIN_BYTES = 64 * 1024 ** 3;

/**
 * Copies an input stream (standard input, or records given to mixRecords) to a temp file so that it
 * can be read twice; removed on any exit. The checks run while it spools: the first bytes must be
 * text (not binary, not UTF-16/32, not another compression: `mix - </dev/zero` stops at its first
 * block), and no more than `maxBytes` are taken.
 */
export async function spoolInput(
  source: AsyncIterable<Buffer | Uint8Array>,
  name: string,
  maxBytes = MAX_STDIN_BYTES,
): Promise<{ path: string; cleanup: () => void }> {
  removeStaleSpools();
  const dir = mkdtempSync(join(tmpdir(), `safemix-stdin-${runTag()}-`));
  const path = join(dir, 'stdin');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onAbort(remove);
  const cleanup = () => {
    unregister();
    remove();
  };
  try {
    const out = createWriteStream(path);
    let first = true;
    let head: Buffer | undefined = Buffer.alloc(0);
    let total = 0;
    const checkHead = (final: boolean) => {
      if (!head || (!final && head.length < KIND_WINDOW) || head.length === 0) return;
      const kind = classifyInput(head);
      head = undefined;
      if (kind.kind !== 'text' && kind.kind !== 'gzip') throw inputKindError(kind, name);
    };
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer | Uint8Array>) {
        for await (const chunk of chunks) {
          total += chunk.length;
          if (total > maxBytes)
            throw new SafemixError(
              'input_too_large',
              `${name === '<stdin>' ? 'standard input' : name} is larger than ${maxBytes.toLocaleString('en-US')} bytes, the most mix spools from it; nothing was written`,
              {
                position: { file: name },
                hint: 'give the file by name (it is then read in place, not copied), or raise --max-stdin-bytes',
              },
            );
          if (head) {
            head = Buffer.concat([head, chunk.subarray(0, KIND_WINDOW - head.length)]);
            checkHead(false);
          }
          yield chunk;
          if (first) {
            first = false;
            await pausePoint('stdin-spool');
          }
        }
        checkHead(true);
      },
      out,
    );
  } catch (e) {
    cleanup();
    if (e instanceof SafemixError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') throw writeError(e, `${tmpdir()} (the standard-input spool)`);
    throw new SafemixError('input_unreadable', `cannot read ${name === '<stdin>' ? 'standard input' : name} (${(e as Error).message})`, {
      position: { file: name },
      hint: name === '<stdin>' ? 'check the command that feeds safemix' : 'check the records given to mixRecords',
    });
  }
  return { path, cleanup };
}

/** Spools, shuffle indexes and manifest lists of dead safemix processes on this host (a SIGKILL leaves them): removed by the next run. */
export function removeStaleSpools(): void {
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const lead = ['safemix-stdin-', PLAN_SPOOL_LEAD, INDEX_DIR_LEAD, MANIFEST_SPOOL_LEAD].find((l) => name.startsWith(l));
    const tag = lead === undefined ? undefined : parseRunTag(name.slice(lead.length));
    if (!tag || !runIsOver(tag.id)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/**
 * Records as JSON Lines bytes: a string or bytes is one record as it is (it may not hold a line
 * break), any other value is written with JSON.stringify.
 */
export async function* jsonLines(records: AsyncIterable<unknown> | Iterable<unknown>, name: string): AsyncGenerator<Buffer> {
  let index = 0;
  for await (const r of records as AsyncIterable<unknown>) {
    const bytes = typeof r === 'string' ? Buffer.from(r, 'utf8') : r instanceof Uint8Array ? Buffer.from(r) : Buffer.from(JSON.stringify(r) ?? 'null', 'utf8');
    if (bytes.includes(0x0a))
      throw new SafemixError('schema', `record ${index} holds a line break: a record given as text or bytes is one JSON Lines line`, {
        position: { file: name, record: index, line: index + 1 },
        hint: 'give the record as a value (it is then written with JSON.stringify), or as its JSON on one line',
      });
    index++;
    yield Buffer.concat([bytes, Buffer.from('\n')]);
  }
}
