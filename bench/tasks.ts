// One benchmark task in its own process, so that its peak RSS is its own. Prints one JSON line:
// {"task", "seconds", "maxRssMB", "records"}. Run by bench/run.ts; not a test.
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { copyDataset } from '../src/api/copy.js';
import { validateFile } from '../src/api/validate.js';
import { inspectFile, sampleDataset } from '../src/api/inspect.js';
import { analyzeSample } from '../src/api/encoding-check.js';
import { openScan } from '../src/api/scan.js';
import { mixFile } from '../src/api/mix.js';

const [task, input, output] = process.argv.slice(2) as [string, string, string];

async function readlineBaseline(): Promise<number> {
  const out = createWriteStream(output);
  const rl = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (!line) continue;
    JSON.parse(line);
    n++;
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

const tasks: Record<string, () => Promise<number>> = {
  'safemix-read': async () => {
    const scan = await openScan(input);
    let n = 0;
    for await (const r of scan.records) if (!r.problem) n++;
    return n;
  },
  'node-readline-baseline': readlineBaseline,
  'safemix-copy': async () => (await copyDataset(input, output)).records,
  'safemix-validate': async () => (await validateFile(input)).records,
  'safemix-inspect': async () => (await inspectFile(input)).records,
  'safemix-inspect-no-encoding-check': async () => (await inspectFile(input, { detectEncoding: false })).records,
  'safemix-mix-no-encoding-check': async () => (await mixFile(input, { output, ratio: 0.05, manifest: false, detectEncoding: false })).manifest.output.records,
  'safemix-mix': async () => (await mixFile(input, { output, ratio: 0.05, manifest: false })).manifest.output.records,
  // the covert-encoding check alone, on the sample mix profiles (default 5,000 records): its time goes to stderr as JSON
  'safemix-encoding-check': async () => {
    const { scan, sample } = await sampleDataset(input, {});
    const t = process.hrtime.bigint();
    const report = analyzeSample(scan.detection.dialect, sample);
    process.stderr.write(JSON.stringify({ encodingCheckSeconds: Number(process.hrtime.bigint() - t) / 1e9, sampled: sample.length, verdict: report.verdict }) + '\n');
    return sample.length;
  },
};

const run = tasks[task];
if (!run) throw new Error(`unknown task ${task}`);
const t0 = process.hrtime.bigint();
const records = await run();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ task, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, records }) + '\n');
