// Chooses how generated records are written for a file: JSON in the records' own style (spacing,
// escaping, indentation inside a JSON array), a CSV/TSV row in the file's delimiter and quoting, or
// for Parquet plain JSON text (which write/parquet-sink.ts turns into a row of the file's schema).
// The only place that turns a rendered value into bytes.
import type { Container } from '../read/types.js';
import { inferJsonStyle, stringifyStyled } from './json-style.js';
import { inferCsvStyle, formatCsvRow } from './csv-style.js';
import { formulaFree } from '../formula.js';
import { stringify as losslessStringify } from 'lossless-json';

interface StyleSample {
  raw: Buffer;
  value: unknown;
}

export function serializerFor(
  container: Container,
  sample: StyleSample[],
  options: { elementIndent: string; columns: string[]; delimiter?: string; inheritedKeys?: readonly string[] },
): (value: unknown) => string {
  // a Parquet row has no text form in the file: the JSON text goes to the Parquet sink, which writes it by the schema
  if (container === 'parquet') return (value) => losslessStringify(value) ?? 'null';
  if (container === 'csv' || container === 'tsv') {
    const cellsOf = (value: unknown) => options.columns.map((c) => String((value as Record<string, unknown>)[c] ?? ''));
    const style = inferCsvStyle(
      sample.slice(0, 200).map((r) => ({ raw: r.raw, cells: cellsOf(r.value) })),
      { delimiter: options.delimiter ?? ',', quote: '"' },
    );
    // a generated row never starts a cell with a formula character, whatever a donor's cell held
    return (value) => formatCsvRow(cellsOf(value).map(formulaFree), style);
  }
  const style = inferJsonStyle(
    sample.slice(0, 200).map((r) => r.raw),
    options.elementIndent,
  );
  // a nested record's fields from the objects around it are in its value, never in its bytes
  const inherited = options.inheritedKeys ?? [];
  if (inherited.length)
    return (value) => {
      const own =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).filter(([k]) => !inherited.includes(k)))
          : value;
      return stringifyStyled(own, style, options.elementIndent);
    };
  return (value) => stringifyStyled(value, style, options.elementIndent);
}
