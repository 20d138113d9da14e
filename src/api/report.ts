// `mix --report FILE.html` and `safemix report MANIFEST -o FILE.html`: the review page of a finished
// mix. It reads the manifest, the output (for each added record) and the input (for each donor and a
// sample of the user's answers), and writes the page (report/page.ts) atomically. Endpoint addresses
// and anything that looks like an API key in the run's facts are masked before they reach the page.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SafemixError } from '../errors.js';
import { buildProfile } from '../profile/profile.js';
import { responsesOf } from '../profile/responses.js';
import { reportPage, type ReportData, type ReportRecord } from '../report/page.js';
import { AtomicFile } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { checkTargets } from '../write/targets.js';
import { sampleDataset } from './inspect.js';
import { openScan } from './scan.js';
import type { Manifest } from './schemas.js';

/** Texts longer than this are cut on the page. */
const CUT = 1500;
/** User answers measured for the lengths chart. */
const USER_ANSWERS = 2000;

const cut = (s: string) => (s.length > CUT ? `${s.slice(0, CUT)} …` : s);

/** An endpoint as the page shows it: scheme and host, no path, query or credentials. */
function maskEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(endpoint)';
  }
}

/** API keys and bearer tokens in a run's text, masked. */
function maskKeys(text: string): string {
  return text.replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '$1-…').replace(/\bBearer\s+\S+/gi, 'Bearer …');
}

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

  const entries = [...manifest.injected.map((e) => ({ e, balance: false })), ...(manifest.balanceRecords ?? []).map((e) => ({ e, balance: true }))];
  const byIndex = new Map(entries.map((x) => [x.e.index, x]));
  const donors = new Set(entries.map((x) => x.e.donor));

  // the structure of the user's records, for their answers (as `safemix judge` finds them)
  const { scan, sample, records } = await sampleDataset(inputPath, { recordPath: manifest.recordPath, container: manifest.container });
  const profile = buildProfile(sample, records, scan.detection, scan.reader.container, { seed: 'safemix' });
  // the answers' lengths: the responses `safemix judge` reads, else the answer field as stored (a list, a label)
  const answerField = /^[^.[\]]+$/.test(profile.views.response?.path ?? '') ? profile.views.response!.path : undefined;
  const answerLengths = (value: unknown): number[] => {
    const found = responsesOf(value, profile).map((res) => res.text.length);
    if (found.length || !answerField || value === null || typeof value !== 'object') return found;
    const v = (value as Record<string, unknown>)[answerField];
    return v === undefined ? [] : [typeof v === 'string' ? v.length : JSON.stringify(v).length];
  };
  const userLengths: number[] = [];
  for (const r of sample) {
    if (userLengths.length >= USER_ANSWERS) break;
    userLengths.push(...answerLengths(r.value));
  }
  const donorText = new Map<number, string>();
  const input = await openScan(inputPath, { recordPath: manifest.recordPath, container: manifest.container });
  for await (const r of input.records) if (donors.has(r.index)) donorText.set(r.index, cut(r.raw.toString('utf8')));

  const pageRecords: ReportRecord[] = [];
  const injectedLengths: number[] = [];
  const mixed = await openScan(mixedPath, { recordPath: manifest.recordPath, container: manifest.container });
  for await (const r of mixed.records) {
    const x = byIndex.get(r.index);
    if (!x) continue;
    const e = x.e;
    if (!x.balance) injectedLengths.push(...answerLengths(r.value));
    pageRecords.push({
      index: e.index,
      category: e.category,
      lang: e.lang,
      seedId: e.seedId,
      balance: x.balance,
      donor: e.donor,
      fields: e.fields,
      failed: Object.keys(e.audit?.failed ?? {}),
      text: cut(r.raw.toString('utf8')),
      donorText: donorText.get(e.donor) ?? '',
    });
  }
  pageRecords.sort((a, b) => a.index - b.index);

  const m = manifest;
  const run: [string, string][] = [
    ['input', `${m.input.path} (${m.input.records.toLocaleString('en-US')} records, sha256 ${m.input.sha256.slice(0, 12)}…)`],
    ['output', `${m.output.path} (${m.output.records.toLocaleString('en-US')} records)`],
    ['format', `${m.container}${m.recordPath ? ` (records at ${m.recordPath})` : ''} · ${m.dialect}`],
    ['user records (n)', m.userRecords.toLocaleString('en-US')],
    ['safety records (k)', m.count.toLocaleString('en-US')],
    ['ratio', m.ratio === null ? `--count ${m.count}` : String(m.ratio)],
    ['seed · order', `${m.seed} · ${m.order}`],
    ['engine', m.paraphrase ? `paraphrase: ${m.paraphrase.model} at ${maskEndpoint(m.paraphrase.endpoint)}` : m.engine],
    ['covert encodings', `${m.encoding.verdict} (policy ${m.encoding.policy}): ${m.encoding.summary}`],
    ...(m.audit ? ([['form audit', `${m.audit.passed} of ${m.audit.records} generated records pass (${m.audit.mode})`]] as [string, string][]) : []),
    ...(m.balance ? ([['balance examples', `${m.balance.count} (share ${m.balance.share})`]] as [string, string][]) : []),
    [
      'safety source',
      m.safetySource.kind === 'file'
        ? `file ${m.safetySource.path ?? ''} (${m.safetySource.requests} requests)`
        : `built-in seeds (${m.safetySource.requests} requests)`,
    ],
  ];
  const data: ReportData = {
    title: `${m.input.path} → ${m.output.path}`,
    run: run.map(([k, v]) => [k, maskKeys(v)]),
    notes: m.notes.map(maskKeys),
    outputRecords: m.output.records,
    answerLengths: { user: userLengths, injected: injectedLengths },
    records: pageRecords,
    cutAt: CUT,
  };
  const page = new AtomicFile(options.output, { ...targets.fileOptions(options.output), makeDirs: true });
  try {
    page.write(reportPage(data));
    page.commit();
  } catch (e) {
    page.abort();
    throw writeError(e, options.output);
  }
  return { path: options.output, records: pageRecords.length };
}
