// `mix IN -o OUT --ratio 0.05` through the library with the covert-encoding check turned off (no
// screen in pass 1, no analysis): bench/run.ts sets its wall against mix's to measure the check's
// cost. Not a test, and not a mode the CLI offers.
import { mixFile } from '../src/api/mix.js';

await mixFile(process.argv[2]!, { output: process.argv[3]!, ratio: 0.05, detectEncoding: false, keepInjected: false });
