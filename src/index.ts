// safemix's library API: what the CLI calls, for providers who import it. Data flows
// read → profile → generate → blend → write; each stage is importable on its own.
export { SafemixError, ExitCode, formatPosition, type ErrorCode, type ErrorPosition } from './errors.js';
export { DatasetReader, openInput } from './read/reader.js';
export type { Container, CsvShape, Layout, ReadOptions, SourceRecord, RecordIssue } from './read/types.js';
export { DIALECTS, detectDialect, classifyRecord, dialectSchemas, type Dialect, type DialectDetection } from './profile/dialects.js';
export { validateRecord, type ValidationIssue } from './profile/validate-record.js';
export { countRecordTokens, TOKEN_LIMIT } from './profile/tokens.js';
export { inferJsonStyle, stringifyStyled, type JsonStyle } from './write/json-style.js';
export { inferCsvStyle, formatCsvRow, type CsvStyle } from './write/csv-style.js';
export { AtomicFile } from './write/atomic-file.js';
export { RecordSink } from './write/record-sink.js';
export { openScan, type ScanOptions } from './api/scan.js';
export { validateFile, type ValidateOptions } from './api/validate.js';
export { copyDataset } from './api/copy.js';
export { ValidationReportSchema, type ValidationReport } from './api/schemas.js';
