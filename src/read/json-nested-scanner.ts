// Pure incremental scanner for a JSON document whose records sit in arrays inside it (SQuAD's
// `data[].paragraphs[].qas[]`): feed byte chunks, get each element at the record path back as its
// exact byte slice, with every byte since the record before it (the structure between them) as its
// separator, and the scalar fields of the objects around it (a paragraph's `context`, an article's
// `title`), before or after it in that object (SQuAD 2.0 writes `qas` before `context`: a record is
// handed on when the object around it closes, or once 8 MiB of records wait). Everything outside the records is tokenized only as far
// as it takes to know the path; JSON.parse validates each record.
import type { LineSlice } from './jsonl-splitter.js';
import { indentBefore, type ScanProblem } from './json-array-scanner.js';

/** One step of a record path: an object key, or `*` for every element of an array. */
export type PathStep = string | { any: true };

export const ANY: PathStep = { any: true };

export interface NestedSlice extends LineSlice {
  /** Scalar fields of the enclosing objects seen before the record, the nearest object's last. */
  inherited: Record<string, unknown>;
}

const EMPTY = Buffer.alloc(0);

const enum S {
  Value,
  KeyOrClose,
  Key,
  Colon,
  Str,
  Literal,
  After,
  Record,
  Skip,
  Done,
}

interface Frame {
  kind: 'obj' | 'arr';
  /** The path of this container is a prefix of the record path (its children may be records or lead to them). */
  onPath: boolean;
  key?: string;
  /** Scalar fields of an object on the path, in order. */
  scalars?: Map<string, unknown>;
}

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
/** Inherited text longer than this is not kept (a passage is a few KB; a blob is not context). */
const MAX_SCALAR = 1 << 20;
/** Records held for the fields after them in their enclosing object, at most. */
const HELD_MAX = 8 << 20;

export class JsonNestedScanner {
  private state = S.Value;
  private readonly frames: Frame[] = [];
  private gap: Buffer[] = [];
  private gapLength = 0;
  private piece: Buffer[] = [];
  private pieceLength = 0;
  /** For records and skipped values: nesting depth, string state. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private recordLine = 0;
  private recordOffset = 0;
  /** The key or scalar being read, kept only when wanted. */
  private capture: Buffer[] | undefined;
  private captureLength = 0;
  private pendingKey: string | undefined;
  private base = 0;
  private line = 1;
  prefix: Buffer = EMPTY;
  bom = false;
  records = 0;
  crlf = 0;
  lf = 0;
  elementIndent = '';
  problem: ScanProblem | undefined;

  constructor(
    private readonly path: readonly PathStep[],
    private readonly maxElementBytes: number,
  ) {}

  /** Records read whose enclosing object has not closed yet, with the frames around them. */
  private held: { slice: NestedSlice; frames: Frame[] }[] = [];
  private heldBytes = 0;
  private out: NestedSlice[] = [];

  push(chunk: Buffer, out: NestedSlice[]): void {
    if (this.problem) return;
    this.out = out;
    let i = 0;
    const base = this.base;
    this.base += chunk.length;
    // the BOM stays in the prefix's bytes (the writer writes the prefix back as it was)
    let mark = 0;
    const n = chunk.length;
    const newline = (at: number) => {
      this.line++;
      if (at > 0 && chunk[at - 1] === 0x0d) this.crlf++;
      else this.lf++;
    };
    while (i < n) {
      const b = chunk[i]!;
      switch (this.state) {
        case S.Record:
        case S.Skip: {
          if (this.escaped) {
            this.escaped = false;
            i++;
            break;
          }
          if (this.inString) {
            if (b === 0x5c) this.escaped = true;
            else if (b === 0x22) {
              this.inString = false;
              if (this.depth === 0) {
                // a record that is a string ends with its quote
                i++;
                mark = this.finishRecord(chunk, mark, i);
                break;
              }
            } else if (b === 0x0a) newline(i);
            i++;
            break;
          }
          if (this.depth === 0) {
            // a record that is a number or literal ends before the byte that follows it
            if (b === 0x2c || b === 0x5d || b === 0x7d || isWs(b)) mark = this.finishRecord(chunk, mark, i);
            else i++;
            break;
          }
          if (b === 0x22) this.inString = true;
          else if (b === 0x7b || b === 0x5b) this.depth++;
          else if (b === 0x7d || b === 0x5d) {
            this.depth--;
            if (this.depth === 0) {
              i++;
              if (this.state === S.Record) mark = this.finishRecord(chunk, mark, i);
              else this.state = S.After;
              break;
            }
          } else if (b === 0x0a) newline(i);
          i++;
          break;
        }
        case S.Str:
        case S.Key: {
          if (this.escaped) this.escaped = false;
          else if (b === 0x5c) this.escaped = true;
          else if (b === 0x22) {
            this.keep(chunk.subarray(Math.max(0, this.captureStart), i + 1));
            this.captureStart = -1;
            i++;
            if (this.state === S.Key) {
              const key = this.takeCapture();
              this.pendingKey = typeof key === 'string' ? key : undefined;
              this.state = S.Colon;
            } else {
              this.setScalar(this.takeCapture());
              this.state = S.After;
            }
            break;
          } else if (b === 0x0a) newline(i);
          i++;
          break;
        }
        case S.Literal: {
          if (b === 0x2c || b === 0x7d || b === 0x5d || isWs(b)) {
            this.keep(chunk.subarray(Math.max(0, this.captureStart), i));
            this.captureStart = -1;
            this.setScalar(this.takeCapture());
            this.state = S.After;
            break; // the byte is read again, as structure
          }
          i++;
          break;
        }
        default: {
          // structure outside records: whitespace, punctuation, the start of a key or a value
          if (b === 0x0a) newline(i);
          else if (this.frames.length === 0 && this.state === S.Value && (b === 0xef || b === 0xbb || b === 0xbf)) {
            // a byte order mark, whatever piece it comes in: it stays in the prefix
            this.bom = true;
          } else if (!isWs(b)) {
            const r = this.structure(b, chunk, i, mark, base);
            if (r === 'fail') return;
            if (r !== undefined) mark = r;
          }
          i++;
        }
      }
    }
    // keep the unfinished pieces
    const rest = chunk.subarray(mark, n);
    if (this.state === S.Record) this.appendRecord(rest);
    else this.appendGap(rest);
    if (this.captureStart >= 0 || ((this.state === S.Str || this.state === S.Key || this.state === S.Literal) && this.capture)) {
      this.keep(chunk.subarray(Math.max(0, this.captureStart), n));
      this.captureStart = 0;
    }
  }

  /** Where the current key or scalar starts in this chunk (0: in an earlier one; -1: none is read). */
  private captureStart = -1;

  private keep(piece: Buffer): void {
    if (!this.capture) return;
    if (this.captureLength + piece.length > MAX_SCALAR) {
      this.capture = undefined;
      return;
    }
    this.capture.push(Buffer.from(piece));
    this.captureLength += piece.length;
  }

  private takeCapture(): unknown {
    const c = this.capture;
    this.capture = undefined;
    this.captureLength = 0;
    if (!c) return undefined;
    try {
      return JSON.parse(Buffer.concat(c).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private setScalar(value: unknown): void {
    const top = this.frames.at(-1);
    const key = this.pendingKey;
    this.pendingKey = undefined;
    if (top?.kind === 'obj' && top.scalars && key !== undefined && value !== undefined) top.scalars.set(key, value);
  }

  /** The step a value at the current position takes: the pending key in an object, any element in an array. */
  private stepMatches(): { matches: boolean; last: boolean } {
    const top = this.frames.at(-1);
    const at = this.frames.length - 1;
    if (!top) return { matches: true, last: false };
    if (!top.onPath || at >= this.path.length) return { matches: false, last: false };
    const step = this.path[at]!;
    const matches = top.kind === 'arr' ? typeof step !== 'string' : typeof step === 'string' && step === this.pendingKey;
    return { matches, last: at === this.path.length - 1 };
  }

  /** One byte of structure outside records. Returns the record's start (a new mark), 'fail', or nothing. */
  private structure(b: number, chunk: Buffer, i: number, mark: number, base: number): number | 'fail' | undefined {
    const top = this.frames.at(-1);
    switch (this.state) {
      case S.Done:
        this.fail(`unexpected ${JSON.stringify(String.fromCharCode(b))} after the end of the JSON document`, 'the file must hold one JSON document');
        return 'fail';
      case S.Colon:
        if (b !== 0x3a) {
          this.fail(`expected ":" after a key, found ${JSON.stringify(String.fromCharCode(b))}`, 'fix the JSON of the document');
          return 'fail';
        }
        this.state = S.Value;
        return undefined;
      case S.KeyOrClose:
        if (b === 0x22) {
          this.state = S.Key;
          this.capture = [];
          this.captureStart = i;
          return undefined;
        }
        if (b === 0x7d && top?.kind === 'obj') return this.close();
        this.fail(`expected a key or "}", found ${JSON.stringify(String.fromCharCode(b))}`, 'fix the JSON of the document');
        return 'fail';
      case S.After:
        if (b === 0x2c && top) {
          this.state = top.kind === 'obj' ? S.KeyOrClose : S.Value;
          return undefined;
        }
        if ((b === 0x7d && top?.kind === 'obj') || (b === 0x5d && top?.kind === 'arr')) return this.close();
        this.fail(`expected "," or a closing bracket, found ${JSON.stringify(String.fromCharCode(b))}`, 'fix the JSON of the document');
        return 'fail';
      case S.Value: {
        if (b === 0x5d && top?.kind === 'arr') return this.close(); // an empty array
        const { matches, last } = this.stepMatches();
        if (matches && last) {
          // a record starts here
          this.appendGap(chunk.subarray(mark, i));
          this.recordLine = this.line;
          this.recordOffset = base + i;
          if (this.records === 0) this.elementIndent = indentBefore(Buffer.concat(this.gap));
          this.state = S.Record;
          this.depth = b === 0x7b || b === 0x5b ? 1 : 0;
          this.inString = b === 0x22;
          this.escaped = false;
          return i;
        }
        if (b === 0x7b || b === 0x5b) {
          const kind = b === 0x7b ? 'obj' : 'arr';
          const onPath = matches || !top;
          if (onPath) {
            this.frames.push({ kind, onPath: true, ...(kind === 'obj' ? { scalars: new Map() } : {}) });
            this.pendingKey = undefined;
            this.state = kind === 'obj' ? S.KeyOrClose : S.Value;
          } else {
            // not on the record path: skipped whole
            this.state = S.Skip;
            this.depth = 1;
            this.inString = false;
            this.pendingKey = undefined;
          }
          return undefined;
        }
        // a scalar: kept when it is a field of an object on the path
        const wanted = top?.kind === 'obj' && top.onPath && this.pendingKey !== undefined;
        this.capture = wanted ? [] : undefined;
        this.captureStart = i;
        this.state = b === 0x22 ? S.Str : S.Literal;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private close(): undefined {
    const closed = this.frames.pop();
    // the object around the waiting records is complete: its fields after them are known
    if (closed?.kind === 'obj') this.flushHeld();
    this.state = this.frames.length ? S.After : S.Done;
    return undefined;
  }

  private appendGap(piece: Buffer): void {
    if (!piece.length) return;
    if (this.gapLength + piece.length > this.maxElementBytes) {
      this.fail(
        `more than ${this.maxElementBytes} bytes of the document lie between two records`,
        'raise --max-record-bytes, or check the record path (--records)',
      );
      return;
    }
    this.gap.push(Buffer.from(piece));
    this.gapLength += piece.length;
  }

  private appendRecord(piece: Buffer): void {
    if (this.pieceLength + piece.length > this.maxElementBytes) {
      this.fail(`a record is over the limit of ${this.maxElementBytes} bytes`, 'raise --max-record-bytes if the record is genuine');
      return;
    }
    this.piece.push(Buffer.from(piece));
    this.pieceLength += piece.length;
  }

  private flushHeld(): void {
    for (const h of this.held) {
      for (const f of h.frames) if (f.scalars) for (const [k, v] of f.scalars) h.slice.inherited[k] = v;
      this.out.push(h.slice);
    }
    this.held = [];
    this.heldBytes = 0;
  }

  private finishRecord(chunk: Buffer, mark: number, end: number): number {
    this.appendRecord(chunk.subarray(mark, end));
    const raw = Buffer.concat(this.piece, this.pieceLength);
    this.piece = [];
    this.pieceLength = 0;
    const sep = Buffer.concat(this.gap, this.gapLength);
    this.gap = [];
    this.gapLength = 0;
    if (this.records === 0) this.prefix = sep;
    this.held.push({
      slice: { raw, sepBefore: this.records === 0 ? EMPTY : sep, line: this.recordLine, offset: this.recordOffset, inherited: {} },
      frames: this.frames.slice(),
    });
    this.heldBytes += raw.length + sep.length;
    if (this.heldBytes > HELD_MAX) this.flushHeld();
    this.records++;
    this.state = S.After;
    return end;
  }

  /** Ends the input; returns the suffix (bytes after the last record). */
  end(): Buffer {
    if (this.problem) return EMPTY;
    this.flushHeld();
    if (this.state !== S.Done) {
      this.fail('the JSON document is not closed (the file ends inside it)', 'the file may be truncated');
      return EMPTY;
    }
    const tail = Buffer.concat(this.gap, this.gapLength);
    if (this.records === 0) {
      this.prefix = tail;
      return EMPTY;
    }
    return tail;
  }

  private fail(message: string, hint: string): void {
    this.problem ??= { message, line: this.line, hint };
  }
}
