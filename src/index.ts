// safemix's library API: what the CLI calls, for providers who import it. Data flows
// read → profile → generate → blend → write; each stage is importable on its own.
export { SafemixError, ExitCode, formatPosition, isSafemixError, type ErrorCode, type ErrorPosition } from './errors.js';
export { DatasetReader, openInput, type OpenedInput } from './read/reader.js';
export { classifyInput, type InputKind } from './read/input-kind.js';
export { MAX_NESTING } from './read/record-checks.js';
export type { Container, CsvShape, Layout, ReadOptions, SourceRecord, RecordIssue } from './read/types.js';
export { DIALECTS, detectDialect, classifyRecord, dialectSchemas, type Dialect, type DialectDetection } from './profile/dialects.js';
export { validateRecord, type ValidationIssue } from './profile/validate-record.js';
export { countRecordTokens, TOKEN_LIMIT } from './profile/tokens.js';
export { inferJsonStyle, stringifyStyled, type JsonStyle } from './write/json-style.js';
export { inferCsvStyle, formatCsvRow, type CsvStyle } from './write/csv-style.js';
export { AtomicFile, commitTogether, removeStaleTemps } from './write/atomic-file.js';
export { StdoutSink } from './write/stdout-sink.js';
export { injectedCount, MAX_INJECTED_PER_USER, BlendPlan, type BlendOrder } from './blend/plan.js';
export { RecordSink } from './write/record-sink.js';
export { openScan, type ScanOptions } from './api/scan.js';
export { validateFile, type ValidateOptions } from './api/validate.js';
export { inspectFile, type InspectOptions, type InspectResult } from './api/inspect.js';
export { mixFile, type MixOptions, type MixResult } from './api/mix.js';
export { copyDataset } from './api/copy.js';
export {
  ValidationReportSchema,
  InspectReportSchema,
  ManifestSchema,
  type ValidationReport,
  type ValidationError,
  type InspectReport,
  type Manifest,
} from './api/schemas.js';
export { jsonSchemas } from './api/json-schemas.js';
