// Pure incremental scanner for a JSON document that is an array of records: feed byte chunks,
// get each top-level element back as its exact byte slice, with the bytes before it (`[`, commas,
// whitespace) and its line. It tracks strings and nesting only; JSON.parse validates each element.

import type { LineSlice } from './jsonl-splitter.js';

const enum State {
  Start,
  BeforeElement,
  InElement,
  InScalar,
  AfterElement,
  AfterArray,
}

export interface ScanProblem {
  message: string;
  line: number;
  hint: string;
  tooLong?: number;
}

const EMPTY = Buffer.alloc(0);

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class JsonArrayScanner {
  private state = State.Start;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Pieces of the current element and of the separator before it. */
  private element: Buffer[] = [];
  private elementLength = 0;
  private sep: Buffer[] = [];
  private elementLine = 0;
  private elementOffset = 0;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  private line = 1;
  private started = false;
  private skippingTooLong = false;
  private skippedBytes = 0;
  prefix: Buffer = EMPTY;
  bom = false;
  records = 0;
  crlf = 0;
  lf = 0;
  /** Indentation (spaces/tabs) before the first element on its line. */
  elementIndent = '';
  problem: ScanProblem | undefined;

  constructor(private readonly maxElementBytes: number) {}

  push(chunk: Buffer, out: LineSlice[]): void {
    if (this.problem) return;
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.bom = true;
        i = 3;
      }
    }
    const base = this.base;
    this.base += chunk.length;
    // `mark` is where the current piece (of separator or element) started inside this chunk.
    let mark = 0;
    const n = chunk.length;
    while (i < n) {
      const b = chunk[i]!;
      switch (this.state) {
        case State.Start:
          if (b === 0x5b /* [ */) {
            this.state = State.BeforeElement;
          } else if (!isWs(b)) {
            return this.fail(
              `expected "[" to open the list of records, found ${JSON.stringify(String.fromCharCode(b))}`,
              'the file must be a JSON array of records (or JSON Lines)',
            );
          }
          if (b === 0x0a) this.line++;
          i++;
          break;
        case State.BeforeElement:
        case State.AfterElement: {
          if (b === 0x0a) {
            this.line++;
            if (i > 0 && chunk[i - 1] === 0x0d) this.crlf++;
            else this.lf++;
            i++;
          } else if (isWs(b)) {
            i++;
          } else if (b === 0x5d /* ] */) {
            if (this.state === State.BeforeElement && this.records > 0) {
              return this.fail('trailing comma before "]"', 'remove the comma after the last record');
            }
            this.state = State.AfterArray;
            i++;
          } else if (this.state === State.AfterElement) {
            if (b !== 0x2c /* , */)
              return this.fail(
                `expected "," or "]" after a record, found ${JSON.stringify(String.fromCharCode(b))}`,
                'records in the array must be separated by commas',
              );
            this.state = State.BeforeElement;
            i++;
          } else {
            if (b === 0x2c) return this.fail('unexpected ","', 'remove the extra comma');
            // an element starts here: close the separator piece
            this.sep.push(chunk.subarray(mark, i));
            mark = i;
            this.elementLine = this.line;
            this.elementOffset = base + i;
            if (this.records === 0) this.elementIndent = indentBefore(Buffer.concat(this.sep));
            if (b === 0x7b || b === 0x5b) {
              this.state = State.InElement;
              this.depth = 1;
              i++;
            } else {
              this.state = State.InScalar;
              this.inString = b === 0x22;
              this.escaped = false;
              i++;
            }
          }
          break;
        }
        case State.InElement:
        case State.InScalar: {
          if (this.escaped) {
            this.escaped = false;
            i++;
            break;
          }
          if (this.inString) {
            // jump to the next quote or backslash
            const q = chunk.indexOf(0x22, i);
            const bs = chunk.indexOf(0x5c, i);
            let next = q < 0 ? -1 : bs >= 0 && bs < q ? bs : q;
            if (next < 0) next = bs;
            if (next < 0) {
              i = n;
              break;
            }
            if (chunk[next] === 0x5c) {
              // skip the escaped character (it may be in the next chunk)
              if (next + 1 < n) i = next + 2;
              else {
                this.escaped = true;
                i = n;
              }
            } else {
              this.inString = false;
              i = next + 1;
              if (this.state === State.InScalar) (this.finishElement(chunk, mark, i, out), (mark = i));
            }
            break;
          }
          if (this.state === State.InScalar) {
            if (b === 0x2c || b === 0x5d || isWs(b)) {
              this.finishElement(chunk, mark, i, out);
              mark = i;
            } else i++;
            break;
          }
          if (b === 0x22) this.inString = true;
          else if (b === 0x7b || b === 0x5b) this.depth++;
          else if (b === 0x7d || b === 0x5d) {
            this.depth--;
            if (this.depth === 0) {
              i++;
              this.finishElement(chunk, mark, i, out);
              mark = i;
              break;
            }
          } else if (b === 0x0a) {
            this.line++;
            if (i > 0 && chunk[i - 1] === 0x0d) this.crlf++;
            else this.lf++;
          }
          i++;
          break;
        }
        case State.AfterArray:
          if (!isWs(b))
            return this.fail(`unexpected ${JSON.stringify(String.fromCharCode(b))} after the closing "]"`, 'the file must hold exactly one JSON array');
          if (b === 0x0a) this.line++;
          i++;
          break;
      }
    }
    // keep the unfinished piece
    const rest = chunk.subarray(mark, n);
    if (this.state === State.InElement || this.state === State.InScalar) this.appendElement(rest);
    else this.sep.push(rest);
  }

  /** Ends the input; returns the suffix (bytes after the last element). */
  end(): Buffer {
    if (this.problem) return EMPTY;
    if (this.state === State.Start) {
      this.fail('the file holds no JSON array', 'give a JSON array of records or a JSON Lines file');
      return EMPTY;
    }
    if (this.state !== State.AfterArray) {
      this.fail('the JSON array is not closed (the file ends inside it)', 'the file may be truncated: check that it ends with "]"');
      return EMPTY;
    }
    const tail = Buffer.concat(this.sep);
    if (this.records === 0) {
      this.prefix = tail;
      return EMPTY;
    }
    return tail;
  }

  private appendElement(piece: Buffer): void {
    if (this.skippingTooLong) {
      this.skippedBytes += piece.length;
      return;
    }
    if (this.elementLength + piece.length > this.maxElementBytes) {
      this.skippingTooLong = true;
      this.skippedBytes = this.elementLength + piece.length;
      this.element = [];
      this.elementLength = 0;
      return;
    }
    this.element.push(Buffer.from(piece));
    this.elementLength += piece.length;
  }

  private finishElement(chunk: Buffer, mark: number, end: number, out: LineSlice[]): void {
    this.appendElement(chunk.subarray(mark, end));
    const sep = Buffer.concat(this.sep);
    this.sep = [];
    const tooLong = this.skippingTooLong ? this.skippedBytes : undefined;
    const raw = tooLong !== undefined ? EMPTY : this.element.length === 1 ? this.element[0]! : Buffer.concat(this.element, this.elementLength);
    this.element = [];
    this.elementLength = 0;
    this.skippingTooLong = false;
    this.skippedBytes = 0;
    if (this.records === 0) {
      this.prefix = sep;
      out.push({ raw, sepBefore: EMPTY, line: this.elementLine, offset: this.elementOffset, tooLong });
    } else {
      out.push({ raw, sepBefore: sep, line: this.elementLine, offset: this.elementOffset, tooLong });
    }
    this.records++;
    this.state = State.AfterElement;
  }

  private fail(message: string, hint: string): void {
    this.problem = { message, line: this.line, hint };
  }
}

/** The indentation before an element on its line: the separator's bytes after its last line break. */
export function indentBefore(sep: Buffer): string {
  const s = sep.toString('utf8');
  const nl = s.lastIndexOf('\n');
  if (nl < 0) return '';
  return s.slice(nl + 1);
}
