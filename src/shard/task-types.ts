// The shapes of the work a child process (and so a queue worker) runs and of what it reports: apart
// from the tasks themselves, so that the process that spawns a child needs none of their code.
import type { MixOptions } from '../api/mix.js';
import type { InspectOptions } from '../api/inspect.js';
import type { ShardScanOptions } from './scan.js';

export type MixJobOptions = Omit<MixOptions, 'onProgress'>;
export type InspectJobOptions = Omit<InspectOptions, 'onProgress'>;

export type ChildTask =
  | { kind: 'scan-shard'; path: string; index: number; options: ShardScanOptions }
  | { kind: 'mix'; input: string; options: MixJobOptions }
  | { kind: 'inspect'; input: string; output?: string; options: InspectJobOptions }
  | { kind: 'mix-shard'; plan: string; shard: number; output: string; manifest?: string | false; input?: string };

export interface Progress {
  phase: string;
  bytes: number;
  size?: number;
}

/** What a finished job reports (the queue keeps it as the job's return value). */
export interface JobResult {
  kind: ChildTask['kind'];
  output?: string;
  manifestPath?: string;
  reportPath?: string;
  summary: Record<string, unknown>;
}
