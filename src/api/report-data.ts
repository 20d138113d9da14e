// The data of a mix's review page (report/page.ts), read from its manifest, its output (each added
// record) and its input (each donor, and a sample of the user's answers for the lengths chart); the
// run's facts are masked (report/mask.ts) before they reach the page.
import { buildProfile } from '../profile/profile.js';
import { responsesOf } from '../profile/responses.js';
import { maskEndpoint, maskKeys } from '../report/mask.js';
import type { ReportData, ReportRecord } from '../report/page.js';
import type { Manifest } from '../schemas/manifest.js';
import { sampleDataset } from './sample.js';
import { openScan } from './scan.js';

/** Texts longer than this are cut on the page. */
const CUT = 1500;
/** User answers measured for the lengths chart. */
const USER_ANSWERS = 2000;

const cut = (s: string) => (s.length > CUT ? `${s.slice(0, CUT)} …` : s);

/** The page's data of the mix `manifest` describes, whose input and output are at `inputPath` and `mixedPath`. */
export async function reportData(manifest: Manifest, inputPath: string, mixedPath: string): Promise<ReportData> {
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
  return {
    title: `${m.input.path} → ${m.output.path}`,
    run: run.map(([k, v]) => [k, maskKeys(v)]),
    notes: m.notes.map(maskKeys),
    outputRecords: m.output.records,
    answerLengths: { user: userLengths, injected: injectedLengths },
    records: pageRecords,
    cutAt: CUT,
  };
}
