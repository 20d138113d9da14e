// Spreadsheet formulas: a CSV/TSV cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
// return before one) is run as a formula by spreadsheet programs. Cells safemix generates never do,
// whatever a user's cell held; user rows are never changed (they pass through byte for byte).

/** Text with its leading formula characters (and the blanks among them) dropped. */
export function formulaSafe(text: string): string {
  let i = 0;
  while (i < text.length && '=+-@\t\r '.includes(text[i]!)) i++;
  return i === 0 ? text : text.slice(i);
}

const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** A generated cell as a spreadsheet may safely open it: formulaSafe, unless it is a plain number (-3, +1.5). */
export function formulaFree(cell: string): string {
  return NUMBER.test(cell) ? cell : formulaSafe(cell);
}
