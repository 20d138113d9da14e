// The units of work a child process (and so a queue worker) runs: one shard's scan for `plan`, a
// whole-file mix, an inspect, or one shard's mix. Each takes JSON-safe options and returns a
// JSON-safe result.
import { mixFile } from '../api/mix.js';
import { inspectFile } from '../api/inspect.js';
import { AtomicFile } from '../write/atomic-file.js';
import { checkTargets } from '../write/targets.js';
import { scanShard, type ShardScan } from './scan.js';
import { mixShard } from './mix-shard.js';

import type { ChildTask, JobResult, Progress } from './task-types.js';

export async function runTask(task: ChildTask, onProgress: (p: Progress) => void): Promise<JobResult | ShardScan> {
  switch (task.kind) {
    case 'scan-shard':
      return scanShard(task.path, task.index, task.options, (bytes, size) => onProgress({ phase: 'scan', bytes, size }));
    case 'mix': {
      // the job reports a summary: the list of safety records stays in the manifest file
      const r = await mixFile(task.input, { ...task.options, keepInjected: false, onProgress: (phase, bytes, size) => onProgress({ phase, bytes, size }) });
      const m = r.manifest;
      return {
        kind: 'mix',
        output: task.options.output,
        manifestPath: r.manifestPath,
        summary: {
          input: m.input,
          output: m.output,
          dialect: m.dialect,
          container: m.container,
          injected: m.count,
          userRecords: m.userRecords,
          encoding: m.encoding.verdict,
        },
      };
    }
    case 'inspect': {
      if (task.output) checkTargets({ inputs: [{ path: task.input, role: 'input' }], outputs: [{ path: task.output, role: 'report', flag: '-o' }] });
      const report = await inspectFile(task.input, { ...task.options, onProgress: (bytes, size) => onProgress({ phase: 'profile', bytes, size }) });
      if (task.output) {
        const f = new AtomicFile(task.output, { makeDirs: true });
        f.write(JSON.stringify(report, null, 2) + '\n');
        f.commit();
      }
      return {
        kind: 'inspect',
        reportPath: task.output,
        summary: {
          file: report.file,
          records: report.records,
          container: report.container,
          dialect: report.dialect,
          request: report.views.request.path,
          answerSpace: report.answerSpace.kind,
          encoding: report.encoding.verdict,
        },
      };
    }
    case 'mix-shard': {
      const r = await mixShard(task.plan, task.shard, {
        output: task.output,
        manifest: task.manifest,
        input: task.input,
        onProgress: (bytes, size) => onProgress({ phase: 'write', bytes, size }),
      });
      const m = r.manifest;
      return {
        kind: 'mix-shard',
        output: task.output,
        manifestPath: r.manifestPath,
        summary: { shard: m.shard.index, of: m.shard.of, input: m.input, output: m.output, injected: m.count, userRecords: m.userRecords },
      };
    }
  }
}
