// Pure incremental splitter for JSON Lines: feed byte chunks, get each non-blank line back as a
// record slice with its line number and the exact bytes (line endings, blank lines) before it.
// It does no parsing and no I/O; the reader shells around it.

export interface LineSlice {
  raw: Buffer;
  sepBefore: Buffer;
  line: number;
  /** Absolute byte offset of the record's first byte in the input. */
  offset: number;
  /** Set when the line exceeded the size limit: raw is empty and the line was skipped. */
  tooLong?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
const LF_BUF = Buffer.from('\n');
const CRLF_BUF = Buffer.from('\r\n');
const BOM_BUF = Buffer.from([0xef, 0xbb, 0xbf]);

export class JsonlSplitter {
  private carry: Buffer[] = [];
  private carryLength = 0;
  /** Bytes between the last record and the next one (its line ending plus blank lines). */
  private pendingSep: Buffer[] = [];
  private lineNo = 0;
  /** Absolute offset of the current chunk's first byte, and of the line being carried. */
  private base = 0;
  private lineStart = 0;
  private skippingLongLine = false;
  private skippedBytes = 0;
  private started = false;
  /** BOM and leading blank lines: bytes before the first record. */
  prefix: Buffer = EMPTY;
  bom = false;
  records = 0;
  crlf = 0;
  lf = 0;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer, out: LineSlice[]): void {
    if (!this.started) {
      this.started = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.bom = true;
        this.pendingSep.push(BOM_BUF);
        chunk = chunk.subarray(3);
        this.base = 3;
      }
    }
    const base = this.base;
    this.base += chunk.length;
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (nl < 0) {
        const rest = chunk.subarray(start);
        if (rest.length) {
          if (!this.carryLength && !this.skippingLongLine) this.lineStart = base + start;
          this.appendCarry(rest);
        }
        return;
      }
      const piece = chunk.subarray(start, nl);
      let line: Buffer;
      if (this.carryLength || this.skippingLongLine) {
        this.appendCarry(piece);
        line = this.takeCarry();
      } else {
        line = piece;
        this.lineStart = base + start;
      }
      this.completeLine(line, true, out);
      start = nl + 1;
    }
  }

  /** Ends the input; returns the suffix (bytes after the last record). */
  end(out: LineSlice[]): Buffer {
    if (this.carryLength || this.skippingLongLine) this.completeLine(this.takeCarry(), false, out);
    const suffix = Buffer.concat(this.pendingSep);
    if (this.records === 0) {
      this.prefix = suffix;
      return EMPTY;
    }
    return suffix;
  }

  private appendCarry(piece: Buffer): void {
    if (this.skippingLongLine) {
      this.skippedBytes += piece.length;
      return;
    }
    if (this.carryLength + piece.length > this.maxLineBytes) {
      this.skippingLongLine = true;
      this.skippedBytes = this.carryLength + piece.length;
      this.carry = [];
      this.carryLength = 0;
      return;
    }
    // copy: the chunk may be reused by the stream
    this.carry.push(Buffer.from(piece));
    this.carryLength += piece.length;
  }

  private takeCarry(): Buffer {
    const line = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLength);
    this.carry = [];
    this.carryLength = 0;
    return line;
  }

  private completeLine(line: Buffer, terminated: boolean, out: LineSlice[]): void {
    this.lineNo++;
    if (this.skippingLongLine) {
      const size = this.skippedBytes;
      this.skippingLongLine = false;
      this.skippedBytes = 0;
      this.emit(EMPTY, this.lineNo, out, size);
      this.pendingSep = terminated ? [LF_BUF] : [];
      return;
    }
    if (line.length > this.maxLineBytes) {
      this.emit(EMPTY, this.lineNo, out, line.length);
      this.pendingSep = terminated ? [LF_BUF] : [];
      return;
    }
    const crlf = line.length > 0 && line[line.length - 1] === CR;
    if (isBlank(line)) {
      // copied: a run of blank lines may outlast its read block (see ReadOptions.reuseBlocks)
      this.pendingSep.push(Buffer.from(line));
      if (terminated) this.pendingSep.push(LF_BUF);
      return;
    }
    const raw = crlf ? line.subarray(0, line.length - 1) : line;
    this.emit(raw, this.lineNo, out);
    if (terminated) {
      if (crlf) this.crlf++;
      else this.lf++;
      this.pendingSep = [crlf ? CRLF_BUF : LF_BUF];
    } else {
      this.pendingSep = crlf ? [line.subarray(line.length - 1)] : [];
    }
  }

  private emit(raw: Buffer, line: number, out: LineSlice[], tooLong?: number): void {
    const sep = this.pendingSep.length === 1 ? this.pendingSep[0]! : Buffer.concat(this.pendingSep);
    this.pendingSep = [];
    if (this.records === 0) {
      this.prefix = sep;
      out.push({ raw, sepBefore: EMPTY, line, offset: this.lineStart, tooLong });
    } else {
      out.push({ raw, sepBefore: sep, line, offset: this.lineStart, tooLong });
    }
    this.records++;
  }
}

function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}
