// The review page at 100,000 added records: the time headless Chromium takes to open it (until the
// first page of rows is drawn) and to filter it by a category, median of 3 runs. Part of `npm run
// bench` (and alone: `npm run bench:report`); skipped, saying so, when Debian's chromium is missing.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { reportPage, type ReportRecord } from '../src/report/page.js';

const CHROMIUM = process.env.SAFEMIX_CHROMIUM ?? '/usr/bin/chromium';
const N = 100_000;
const CATEGORIES = ['fraud_deception', 'privacy_violation', 'malware_intrusion', 'child_safety', 'illegal_activity', 'economic_harm'];

export async function benchReportPage(): Promise<string[]> {
  if (!existsSync(CHROMIUM)) return [`review page: skipped (${CHROMIUM} not found; apt-get install chromium)`];
  const dir = mkdtempSync(join(tmpdir(), 'safemix-bench-report-'));
  try {
    const records: ReportRecord[] = Array.from({ length: N }, (_, i) => ({
      index: i * 20 + 7,
      category: CATEGORIES[i % CATEGORIES.length]!,
      lang: i % 3 ? 'en' : 'de',
      seedId: `seed-${i % 300}`,
      balance: i % 11 === 0,
      donor: i * 19,
      fields: { 'messages[1].content': 'request', 'messages[2].content': 'answer' },
      failed: i % 97 === 0 ? ['$.messages[assistant].content|last'] : [],
      text: `{"messages":[{"role":"user","content":"request number ${i}, asked the way the data asks"},{"role":"assistant","content":"I can't help with that ${i}."}]}`,
      donorText: `{"messages":[{"role":"user","content":"how do I reset router ${i}?"},{"role":"assistant","content":"Hold the button for ten seconds (${i})."}]}`,
    }));
    const path = join(dir, 'page.html');
    writeFileSync(
      path,
      reportPage({
        title: 'bench.jsonl → bench.mixed.jsonl',
        run: [['records', String(N)]],
        notes: [],
        outputRecords: N * 20,
        answerLengths: { user: records.map((_, i) => 40 + (i % 200)), injected: records.map((_, i) => 30 + (i % 90)) },
        records,
        cutAt: 1500,
      }),
    );
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const loads: number[] = [];
    const filters: number[] = [];
    try {
      for (let run = 0; run < 3; run++) {
        const page = await browser.newPage();
        const t0 = performance.now();
        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector('#rows tr');
        loads.push(performance.now() - t0);
        const t1 = performance.now();
        await page.selectOption('#f-category', CATEGORIES[1]!);
        await page.waitForFunction(() =>
          (globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document
            .getElementById('status')
            ?.textContent?.startsWith('15'),
        );
        filters.push(performance.now() - t1);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return [
      `review page of ${N.toLocaleString('en-US')} added records (${(statSync(path).size / 1e6).toFixed(0)} MB): opens in ${(median(loads) / 1000).toFixed(2)} s, filters by a category in ${(median(filters) / 1000).toFixed(2)} s (median of 3; runs ${loads.map((x) => (x / 1000).toFixed(2)).join(', ')} / ${filters.map((x) => (x / 1000).toFixed(2)).join(', ')} s)`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) for (const line of await benchReportPage()) console.log(line);
