// The covert-encoding check alone, on the sample mix profiles (5,000 records by default): prints
// {"seconds", "sampled", "verdict"} for bench/run.ts, which sets it against mix's time. Not a test.
import { sampleDataset } from '../src/api/sample.js';
import { analyzeSample } from '../src/api/encoding-check.js';

const { scan, sample } = await sampleDataset(process.argv[2]!, {});
const t = process.hrtime.bigint();
const report = analyzeSample(scan.detection.dialect, sample);
process.stdout.write(JSON.stringify({ seconds: Number(process.hrtime.bigint() - t) / 1e9, sampled: sample.length, verdict: report.verdict }) + '\n');
