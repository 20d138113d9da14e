// The jobs safemix puts on a BullMQ queue: a whole-file mix, an inspect, or one shard of a plan.
// Paths are absolute (on storage every worker sees). A job's id is its idempotency key: submitting
// the same work twice finds the job already there instead of adding a second one.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChildTask } from '../shard/task-types.js';

/** Default per-job timeout: 6 hours. */
export const DEFAULT_TIMEOUT_MS = 6 * 60 * 60 * 1000;
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 5000;

const Common = {
  /** The idempotency key (also the BullMQ job id). */
  key: z.string().min(1),
  timeoutMs: z.number().int().positive(),
  /** The last error of a failed attempt: code, message, position, hint, exit code. */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      hint: z.string(),
      position: z.record(z.string(), z.unknown()),
      exitCode: z.number().int(),
      attempt: z.number().int(),
      retryable: z.boolean(),
    })
    .optional(),
};

export const JobDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mix'), input: z.string(), options: z.looseObject({ output: z.string() }), ...Common }),
  z.object({ kind: z.literal('inspect'), input: z.string(), output: z.string().optional(), options: z.looseObject({}), ...Common }),
  z.object({ kind: z.literal('mix-shard'), plan: z.string(), shard: z.number().int().min(0), output: z.string(), manifest: z.string().optional(), ...Common }),
]);
export type JobData = z.infer<typeof JobDataSchema>;

/** The child task a job runs. */
export function taskOf(data: JobData): ChildTask {
  switch (data.kind) {
    case 'mix':
      return { kind: 'mix', input: data.input, options: data.options as Extract<ChildTask, { kind: 'mix' }>['options'] };
    case 'inspect':
      return { kind: 'inspect', input: data.input, output: data.output, options: data.options };
    case 'mix-shard':
      return { kind: 'mix-shard', plan: data.plan, shard: data.shard, output: data.output, manifest: data.manifest };
  }
}

/** An idempotency key from what the job does (BullMQ ids may not contain `:`). */
export function jobKey(kind: string, parts: unknown): string {
  return `${kind}-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24)}`;
}

/**
 * Error codes worth another attempt: the machine or the run, not the data. A missing input is the
 * submitter's to fix (a wrong path, a file removed): it fails at once, with its code, not retried.
 */
const RETRYABLE = new Set(['job_failed', 'job_timeout', 'interrupted', 'output_failed', 'disk_full', 'input_unreadable', 'queue_unavailable', 'bug']);
export function retryable(code: string): boolean {
  return RETRYABLE.has(code);
}

/** What `status` and `submit` show of a job's target. */
export function describeJob(data: Partial<JobData>): string {
  if (data.kind === 'mix-shard') return `shard ${data.shard} of ${data.plan} → ${data.output}`;
  if (data.kind === 'mix') return `${data.input} → ${(data.options as { output?: string } | undefined)?.output}`;
  if (data.kind === 'inspect') return `${data.input}${data.output ? ` → ${data.output}` : ''}`;
  return '?';
}
