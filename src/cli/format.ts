// Human-readable rendering of reports for the terminal: one screen, the facts a person needs.
import { formatPosition } from '../errors.js';
import type { ValidationReport } from '../api/schemas.js';

const n = (x: number) => x.toLocaleString('en-US');

export function formatValidation(r: ValidationReport, shown = 20): string {
  const lines: string[] = [];
  lines.push(`safemix validate: ${r.file}`);
  lines.push(`  container  ${r.container}`);
  lines.push(`  dialect    ${r.dialect} (confidence ${(r.dialectConfidence * 100).toFixed(0)}%: ${r.dialectEvidence})`);
  lines.push(`  records    ${n(r.records)} (${n(r.validRecords)} valid)`);
  const t = r.tokens;
  lines.push(`  tokens     ${t.encoding}, ${n(t.counted)} sampled: p50 ${n(t.p50)}, p90 ${n(t.p90)}, p99 ${n(t.p99)}, max ${n(t.max)}; ${n(t.overLimit)} over ${n(t.limit)}`);
  lines.push(`  result     ${r.valid ? 'valid' : 'INVALID'}: ${n(r.errorCount)} error(s), ${n(r.warningCount)} warning(s)`);
  for (const e of r.errors.slice(0, shown)) {
    lines.push(`${formatPosition({ file: r.file, line: e.line, row: e.row, field: e.field })}${e.severity} [${e.code}] ${e.message}`);
    lines.push(`  what to do: ${e.hint}`);
  }
  if (r.errorCount + r.warningCount > shown) lines.push(`… ${n(r.errorCount + r.warningCount - Math.min(shown, r.errors.length))} more (use --json for all${r.truncated ? ', up to --max-issues' : ''})`);
  return lines.join('\n');
}
