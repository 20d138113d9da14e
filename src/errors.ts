// The one error type of safemix: a code, where in the input it happened (file, line, row, field),
// what to do about it, and the process exit code it maps to. Every layer throws this and only this.

import { maskSecrets, shownText } from './shown.js';

/**
 * Exit codes of the CLI: 0 ok, 1 invalid records found, 2 unreadable input, bad usage or a failed
 * write, 3 encoded data refused, 4 declined by policy (safemix will not mix this data in its own
 * format as asked: a closed label set with no unsafe value; the message names the ways out). Outside this set: 129/130/143 for SIGHUP/SIGINT/SIGTERM (see
 * io/cleanup.ts), 141 when the reader of standard output went away (`mix -o - | head`), and 70
 * only for a bug in safemix itself (the CLI then says where to report it).
 */
export const ExitCode = { ok: 0, invalid: 1, usage: 2, encoded: 3, declined: 4, brokenPipe: 141, bug: 70 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  // input cannot be opened or is not a dataset at all (exit 2)
  | 'input_missing'
  | 'input_is_directory'
  | 'input_empty'
  | 'input_unreadable'
  | 'input_is_output'
  | 'json_object_document'
  | 'container_unknown'
  | 'dialect_unknown'
  | 'dialect_mixed'
  | 'usage'
  | 'input_binary'
  | 'input_too_large'
  | 'input_encoding'
  | 'input_compressed'
  | 'input_not_seekable'
  | 'parquet_unsupported'
  | 'csv_forbidden_header'
  | 'csv_no_rows'
  | 'too_many_injected'
  // a record is bad (exit 1 from validate; mix and copy stop with exit 1 before writing anything)
  | 'invalid_json'
  | 'not_an_object'
  | 'invalid_utf8'
  | 'nul_byte'
  | 'record_too_long'
  | 'forbidden_key'
  | 'csv_ragged_row'
  | 'csv_unclosed_quote'
  | 'csv_duplicate_header'
  | 'csv_invalid'
  | 'json_array_syntax'
  | 'schema'
  | 'nesting_too_deep'
  // mixing
  | 'no_donor'
  | 'unsupported_shape'
  | 'encoded_data'
  | 'encoding_unrecoverable'
  | 'input_changed'
  | 'declined_by_policy'
  | 'form_audit'
  // sharded mixing and queue workers
  | 'plan_invalid'
  | 'shard_mismatch'
  | 'shard_incomplete'
  | 'queue_unavailable'
  | 'job_failed'
  | 'job_timeout'
  // a model endpoint (the paraphrase engine, query): exit 2, except too many fallbacks (exit 1)
  | 'endpoint_unreachable'
  | 'endpoint_auth'
  | 'model_unknown'
  | 'endpoint_failed'
  | 'endpoint_rejected'
  | 'paraphrase_fallback'
  // writing
  | 'output_failed'
  | 'output_not_regular'
  | 'output_shared_dir'
  | 'output_changed'
  | 'disk_full'
  | 'interrupted'
  | 'output_closed';

/** Where a problem sits: everything a person needs to open the file at the right place. */
export interface ErrorPosition {
  file?: string;
  /** 1-based line in the file where the record starts. */
  line?: number;
  /** 1-based data row (CSV/TSV: the header is not a row). */
  row?: number;
  /** 0-based record index among the file's records. */
  record?: number;
  /** Path of the field inside the record, e.g. `messages[2].content` or the CSV column name. */
  field?: string;
}

export class SafemixError extends Error {
  readonly code: ErrorCode;
  readonly position: ErrorPosition;
  /** What the user should do about it. */
  readonly hint: string;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options: { position?: ErrorPosition; hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SafemixError';
    this.code = code;
    this.position = options.position ?? {};
    this.hint = options.hint ?? '';
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }

  /** `file:line (row N, field F): message. hint` — the form printed by the CLI. */
  describe(): string {
    return maskSecrets(`${formatPosition(this.position)}${shownText(this.message)}${this.hint ? `\n  what to do: ${shownText(this.hint)}` : ''}`);
  }
}

export function formatPosition(p: ErrorPosition): string {
  const parts: string[] = [];
  if (p.file !== undefined) parts.push(p.line !== undefined ? `${shownText(p.file)}:${p.line}` : shownText(p.file));
  else if (p.line !== undefined) parts.push(`line ${p.line}`);
  const extra: string[] = [];
  if (p.row !== undefined) extra.push(`row ${p.row}`);
  if (p.field !== undefined && p.field !== '') extra.push(`field ${shownText(p.field)}`);
  const head = parts.join('') + (extra.length ? ` (${extra.join(', ')})` : '');
  return head ? `${head}: ` : '';
}

export function isSafemixError(e: unknown): e is SafemixError {
  return e instanceof SafemixError;
}
