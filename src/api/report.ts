// `mix --report FILE.html` and `safemix report MANIFEST -o FILE.html`: the review page of a finished
// mix. It reads the manifest, finds the output and the input it names, gathers the page's data from
// them (report-data.ts: each added record, its donor, the answers' lengths, the run's facts with
// endpoint addresses and API keys masked) and writes the page (report/page.ts) atomically.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SafemixError } from '../errors.js';
import { reportPage } from '../report/page.js';
import { AtomicFile } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { checkTargets } from '../write/targets.js';
import type { Manifest } from '../schemas/manifest.js';
import { reportData } from './report-data.js';

export interface ReportOptions {
  /** Where the page goes. */
  output: string;
  /** The mixed file and the input, when they are not where the manifest says (relative to the working folder). */
  mixed?: string;
  input?: string;
  allowSharedDir?: boolean;
}

/** Reads what the page shows, and writes it. */
export async function writeReport(manifestPath: string, options: ReportOptions): Promise<{ path: string; records: number }> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read the manifest (${(e as Error).message})`, {
      position: { file: manifestPath },
      hint: 'give the OUTPUT.manifest.json that safemix mix wrote',
    });
  }
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.injected) || !manifest.output || !manifest.input)
    throw new SafemixError('schema', 'this is not a safemix mix manifest (no injected list, input or output)', {
      position: { file: manifestPath },
      hint: 'give the OUTPUT.manifest.json that safemix mix wrote',
    });
  const find = (given: string | undefined, recorded: string, what: string, flag: string) => {
    const candidates = given ? [given] : [recorded, resolve(dirname(manifestPath), recorded)];
    const found = candidates.find((p) => existsSync(p));
    if (!found)
      throw new SafemixError('input_missing', `the ${what} ${given ?? recorded} the manifest names is not there`, {
        position: { file: manifestPath },
        hint: `give its path with ${flag} PATH`,
      });
    return found;
  };
  const mixedPath = find(options.mixed, manifest.output.path, 'mixed file', '--mixed');
  const inputPath = find(options.input, manifest.input.path, 'input', '--input');
  const targets = checkTargets({
    inputs: [
      { path: manifestPath, role: 'manifest' },
      { path: mixedPath, role: 'mixed file' },
      { path: inputPath, role: 'input' },
    ],
    outputs: [{ path: options.output, role: 'page', flag: '-o' }],
    allowSharedDir: options.allowSharedDir,
  });

  const data = await reportData(manifest, inputPath, mixedPath);
  const page = new AtomicFile(options.output, { ...targets.fileOptions(options.output), makeDirs: true });
  try {
    page.write(reportPage(data));
    page.commit();
  } catch (e) {
    page.abort();
    throw writeError(e, options.output);
  }
  return { path: options.output, records: data.records.length };
}
