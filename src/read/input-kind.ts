// What kind of bytes a file starts with, before any container is sniffed: text (UTF-8 or ASCII),
// gzip (read through zlib), another compression, a UTF-16/UTF-32 text, or a binary format. Pure:
// looks only at the first bytes. A dataset must be text (or a Parquet file given by its path, which
// the reader takes before this); everything else gets a positioned error that names what the file is
// and how to turn it into text.
import { SafemixError } from '../errors.js';

export type InputKind =
  | { kind: 'text' }
  | { kind: 'gzip' }
  | { kind: 'compressed'; format: string; hint: string }
  | { kind: 'encoding'; encoding: string; evidence: string }
  | { kind: 'binary'; format?: string; evidence: string; hint?: string };

interface Magic {
  bytes: number[];
  at?: number;
  format: string;
  kind: 'compressed' | 'binary';
  hint: string;
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const MAGICS: Magic[] = [
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], format: 'zstd', kind: 'compressed', hint: 'decompress it first: zstd -d FILE' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], format: 'xz', kind: 'compressed', hint: 'decompress it first: xz -d FILE' },
  { bytes: ascii('BZh'), format: 'bzip2', kind: 'compressed', hint: 'decompress it first: bunzip2 FILE' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], format: '7-Zip', kind: 'compressed', hint: 'extract the dataset file from the archive first' },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    format: 'ZIP (or an .xlsx/.docx document)',
    kind: 'compressed',
    hint: 'extract the dataset file first (unzip), or export a spreadsheet as CSV',
  },
  // a Parquet file given by its path is read (read/parquet-records.ts); only one that cannot be read from its end gets here
  {
    bytes: ascii('PAR1'),
    format: 'Parquet',
    kind: 'binary',
    hint: 'give the .parquet file by its path: safemix reads Parquet from a file it can seek in, not from standard input or a pipe',
  },
  { bytes: ascii('ARROW1'), format: 'Arrow IPC', kind: 'binary', hint: 'convert it to JSON Lines first (pyarrow or pandas)' },
  {
    bytes: ascii('FEA1'),
    format: 'Feather',
    kind: 'binary',
    hint: 'convert it to JSON Lines first (pandas.read_feather(...).to_json(..., orient="records", lines=True))',
  },
  { bytes: ascii('ORC'), format: 'ORC', kind: 'binary', hint: 'convert it to JSON Lines first (pyarrow.orc)' },
  { bytes: [0x4f, 0x62, 0x6a, 0x01], format: 'Avro', kind: 'binary', hint: 'convert it to JSON Lines first (avro-tools tojson)' },
  { bytes: [...ascii('SQLite format 3'), 0], format: 'SQLite database', kind: 'binary', hint: 'export the table as CSV or JSON Lines first (sqlite3 -csv)' },
  { bytes: [0x89, ...ascii('HDF'), 0x0d, 0x0a, 0x1a, 0x0a], format: 'HDF5', kind: 'binary', hint: 'convert it to JSON Lines first (h5py or pandas)' },
  { bytes: [0x93, ...ascii('NUMPY')], format: 'NumPy array', kind: 'binary', hint: 'safemix reads text datasets (JSON Lines, JSON, CSV, TSV)' },
  { bytes: ascii('%PDF-'), format: 'PDF', kind: 'binary', hint: 'safemix reads text datasets (JSON Lines, JSON, CSV, TSV)' },
  { bytes: [0x89, ...ascii('PNG')], format: 'PNG image', kind: 'binary', hint: 'safemix reads text datasets (JSON Lines, JSON, CSV, TSV)' },
  { bytes: [0xff, 0xd8, 0xff], format: 'JPEG image', kind: 'binary', hint: 'safemix reads text datasets (JSON Lines, JSON, CSV, TSV)' },
  { bytes: [0x7f, ...ascii('ELF')], format: 'ELF executable', kind: 'binary', hint: 'safemix reads text datasets (JSON Lines, JSON, CSV, TSV)' },
];

const startsWith = (head: Buffer, bytes: number[], at = 0) => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** How many of the first bytes the binary and UTF-16 heuristics look at. */
export const KIND_WINDOW = 4096;

/** Control characters that never occur in a text dataset (tab, LF, FF, CR and ESC are allowed). */
function isControl(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f;
}

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

export function classifyInput(head: Buffer): InputKind {
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'gzip' };
  // byte order marks: UTF-32 first (its LE mark starts with UTF-16's)
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00])) return { kind: 'encoding', encoding: 'UTF-32LE', evidence: 'byte order mark FF FE 00 00 at byte 0' };
  if (startsWith(head, [0x00, 0x00, 0xfe, 0xff])) return { kind: 'encoding', encoding: 'UTF-32BE', evidence: 'byte order mark 00 00 FE FF at byte 0' };
  if (startsWith(head, [0xff, 0xfe])) return { kind: 'encoding', encoding: 'UTF-16LE', evidence: 'byte order mark FF FE at byte 0' };
  if (startsWith(head, [0xfe, 0xff])) return { kind: 'encoding', encoding: 'UTF-16BE', evidence: 'byte order mark FE FF at byte 0' };
  for (const m of MAGICS) {
    if (!startsWith(head, m.bytes, m.at)) continue;
    const shown = head.subarray(0, m.bytes.length);
    const evidence = `it starts with the bytes ${[...shown].map(hex).join(' ')}`;
    if (m.kind === 'compressed') return { kind: 'compressed', format: m.format, hint: m.hint };
    return { kind: 'binary', format: m.format, evidence, hint: m.hint };
  }
  const window = head.subarray(0, Math.min(head.length, KIND_WINDOW));
  const utf = nulPattern(window);
  if (utf) return utf;
  let controls = 0;
  let first = -1;
  for (let i = 0; i < window.length; i++) {
    if (isControl(window[i]!)) {
      controls++;
      if (first < 0) first = i;
    }
  }
  // random bytes have ~10% control characters; text has none (a stray NUL is a record-level problem)
  if (controls >= 8 && controls / window.length > 0.02) {
    return {
      kind: 'binary',
      evidence: `${controls} of its first ${window.length} bytes are control characters (the first, ${hex(window[first]!)}, at byte ${first})`,
    };
  }
  return { kind: 'text' };
}

/** UTF-16/UTF-32 without a byte order mark: ASCII text leaves NUL bytes at a fixed place in each unit. */
function nulPattern(w: Buffer): InputKind | undefined {
  if (w.length < 8) return undefined;
  const zerosAt = [0, 0, 0, 0];
  for (let i = 0; i < w.length; i++) if (w[i] === 0) zerosAt[i % 4]!++;
  const quarter = w.length / 4;
  const share = zerosAt.map((z) => z / quarter);
  const many = (x: number) => x > 0.6;
  const few = (x: number) => x < 0.1;
  if (many(share[1]!) && many(share[2]!) && many(share[3]!) && few(share[0]!))
    return { kind: 'encoding', encoding: 'UTF-32LE', evidence: 'three NUL bytes after every fourth byte, from byte 1' };
  if (many(share[0]!) && many(share[1]!) && many(share[2]!) && few(share[3]!))
    return { kind: 'encoding', encoding: 'UTF-32BE', evidence: 'three NUL bytes before every fourth byte, from byte 0' };
  const even = (share[0]! + share[2]!) / 2;
  const odd = (share[1]! + share[3]!) / 2;
  if (odd > 0.4 && few(even))
    return { kind: 'encoding', encoding: 'UTF-16LE', evidence: `a NUL byte after most characters (${Math.round(odd * 100)}% of odd bytes, from byte 1)` };
  if (even > 0.4 && few(odd))
    return { kind: 'encoding', encoding: 'UTF-16BE', evidence: `a NUL byte before most characters (${Math.round(even * 100)}% of even bytes, from byte 0)` };
  return undefined;
}

/** The error for a file that is not UTF-8 text (gzip is read, so it never gets here). */
export function inputKindError(kind: Exclude<InputKind, { kind: 'text' } | { kind: 'gzip' }>, file: string, inside?: string): SafemixError {
  const where = inside ? ` (inside the ${inside} data)` : '';
  switch (kind.kind) {
    case 'compressed':
      return new SafemixError('input_compressed', `the file is ${kind.format}-compressed${where}, which safemix does not read (it reads gzip)`, {
        position: { file },
        hint: `${kind.hint}, or recompress it with gzip`,
      });
    case 'encoding':
      return new SafemixError('input_encoding', `the file is ${kind.encoding} text${where} (${kind.evidence}); safemix reads UTF-8`, {
        position: { file },
        hint: `re-encode it as UTF-8, e.g. iconv -f ${kind.encoding} -t UTF-8 FILE > FILE.utf8`,
      });
    case 'binary':
      if (kind.format === 'Parquet' && !inside)
        return new SafemixError(
          'input_not_seekable',
          `the input is Parquet (${kind.evidence}) on standard input or through a pipe: Parquet keeps its schema at the end of the file, so safemix reads it only from a file given by its path`,
          {
            position: { file },
            hint: kind.hint,
          },
        );
      if (kind.format === 'Parquet')
        return new SafemixError(
          'input_binary',
          `the file is binary (Parquet)${where}: safemix reads a Parquet file as it is, not compressed inside another format`,
          {
            position: { file },
            hint: 'decompress it to a .parquet file (gunzip -k FILE) and give that file by its path',
          },
        );
      return new SafemixError('input_binary', `the file is binary${kind.format ? ` (${kind.format})` : ''}${where}, not a text dataset: ${kind.evidence}`, {
        position: { file },
        hint: kind.hint ?? 'give a JSON Lines, JSON array, CSV or TSV file (UTF-8 text); check that this is the file you meant',
      });
  }
}
