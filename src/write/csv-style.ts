// The CSV/TSV writing style of a user's rows (delimiter, quote, minimal or all-quoted, line ending),
// inferred from their raw bytes, and a row formatter (csv-stringify) that writes new rows the same way.
import { stringify } from 'csv-stringify/sync';
import type { CsvShape } from '../read/types.js';

export interface CsvStyle {
  delimiter: string;
  quote: string;
  /** Every field quoted (Python csv.QUOTE_ALL) rather than only where needed. */
  quoteAll: boolean;
}

export function formatCsvRow(cells: string[], style: CsvStyle): string {
  return stringify([cells], { delimiter: style.delimiter, quote: style.quote, quoted: style.quoteAll, record_delimiter: '\n', eof: false });
}

/** Reads the quoting habit off sample rows: all-quoted if most rows only match an all-quoted rendering. */
export function inferCsvStyle(samples: { raw: Buffer; cells: string[] }[], shape: Pick<CsvShape, 'delimiter' | 'quote'>): CsvStyle {
  const minimal = { delimiter: shape.delimiter, quote: shape.quote, quoteAll: false };
  const all = { ...minimal, quoteAll: true };
  let votesAll = 0;
  let votesMinimal = 0;
  for (const { raw, cells } of samples) {
    const text = raw.toString('utf8');
    if (formatCsvRow(cells, minimal) === text) votesMinimal++;
    else if (formatCsvRow(cells, all) === text) votesAll++;
  }
  return votesAll > votesMinimal ? all : minimal;
}
