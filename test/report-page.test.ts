// The review page of a mix, opened in real headless Chromium (Debian's `chromium`, driven by
// playwright-core; no browser is downloaded). Without Chromium these tests are skipped and say so;
// with SAFEMIX_REQUIRE_CHROMIUM=1 (CI) they fail instead. The data holds markup in every record, so
// the page must show it as text and run none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from './chromium.js';

const PAYLOAD = '</script><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

/** Alpaca records whose every answer holds markup, so that every donor shown on the page does. */
function fixture(dir: string): string {
  const topics = ['bread', 'tides', 'bicycles', 'tea', 'maps', 'owls', 'glass', 'rain'];
  const rows = Array.from({ length: 80 }, (_, i) => ({
    instruction: `Explain in two sentences how ${topics[i % topics.length]} work, case ${i}.`,
    input: '',
    output: `It is simple, case ${i}: ${PAYLOAD} and that is all there is to it.`,
  }));
  const path = join(dir, 'markup.json');
  writeFileSync(path, JSON.stringify(rows, null, 2) + '\n');
  return path;
}

describe.skipIf(!haveChromium)('the review page in Chromium', () => {
  const dir = tempDir('safemix-report-');
  let page: import('playwright-core').Page;
  let browser: import('playwright-core').Browser;
  const problems: string[] = [];
  let manifest: { injected: { category: string }[]; balanceRecords?: unknown[] };

  beforeAll(async () => {
    const input = fixture(dir);
    const r = await runCli(['mix', input, '-o', join(dir, 'out.json'), '--ratio', '0.2', '--seed', '3', '--report', join(dir, 'page.html'), '--quiet'], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(join(dir, 'out.json.manifest.json'), 'utf8'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    // the page is opened from disk, as a reviewer opens it
    await page.goto(`file://${join(dir, 'page.html')}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error and no content-security-policy violation', async () => {
    await page.waitForSelector('#rows tr');
    expect(problems).toEqual([]);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+';/);
  });

  it('draws every chart', async () => {
    for (const id of ['by-category', 'by-language', 'lengths', 'positions']) {
      const marks = await page.locator(`#${id} svg rect`).count();
      expect(marks, id).toBeGreaterThan(0);
    }
  });

  it('runs none of the markup in the records, and shows it as text', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#rows img').count()).toBe(0);
    const donors = await page.locator('#rows tr td:nth-child(3) pre').allTextContents();
    expect(donors.length).toBeGreaterThan(0);
    for (const d of donors) expect(d).toContain(PAYLOAD.replace(/"/g, '\\"'));
  });

  it('filtering by a category shows exactly that category’s records', async () => {
    const counts = new Map<string, number>();
    for (const e of manifest.injected) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
    const [category, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    await page.selectOption('#f-category', category);
    const rows = page.locator('#rows tr');
    expect(await rows.count()).toBe(n);
    for (const c of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-category')))) expect(c).toBe(category);
    expect(await page.textContent('#status')).toContain(`${n} of ${manifest.injected.length + (manifest.balanceRecords?.length ?? 0)} records`);
    // and the keyboard reaches every control
    await page.selectOption('#f-category', '');
    await page.focus('#f-search');
    await page.keyboard.type('case 1');
    expect(Number((await page.textContent('#status'))!.split(' ')[0])).toBeGreaterThan(0);
  });
});

describe.skipIf(!haveChromium)('a review page of many records', () => {
  it('draws its charts from 150,000 answer lengths and pages 30,000 records', async () => {
    const { reportPage } = await import('../src/report/page.js');
    const dir = tempDir('safemix-report-');
    const n = 30_000;
    const records = Array.from({ length: n }, (_, i) => ({
      index: i * 3,
      category: i % 2 ? 'fraud_deception' : 'privacy_violation',
      lang: 'en',
      seedId: `s-${i}`,
      balance: false,
      donor: i,
      fields: { answer: 'answer' },
      failed: [],
      text: `added ${i}`,
      donorText: `donor ${i}`,
    }));
    const lengths = Array.from({ length: 150_000 }, (_, i) => i % 500);
    writeFileSync(
      join(dir, 'big.html'),
      reportPage({ title: 'big', run: [], notes: [], outputRecords: 3 * n, answerLengths: { user: lengths, injected: lengths }, records, cutAt: 1500 }),
    );
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${join(dir, 'big.html')}`);
      await page.waitForSelector('#rows tr');
      expect(errors).toEqual([]);
      expect(await page.locator('#lengths svg rect').count()).toBeGreaterThan(0);
      expect(await page.locator('#rows tr').count()).toBe(50);
      expect(await page.textContent('#status')).toContain(`${n} of ${n} records · page 1 of ${n / 50}`);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('the review page of a run with an endpoint', () => {
  it('masks the endpoint and anything that looks like a key', async () => {
    const dir = tempDir('safemix-report-');
    const input = fixture(dir);
    const r = await runCli(['mix', input, '-o', join(dir, 'out.json'), '--count', '3', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'out.json.manifest.json'), 'utf8')) as Record<string, unknown>;
    m.paraphrase = { endpoint: 'https://alice:sk-live-ABCDEFGH12345678@llm.example.net/v1?api_key=sk-proj-XYZXYZXYZ123', model: 'test-model' };
    (m.notes as string[]).push('the endpoint answered with Authorization: Bearer tok_123456789abcdef');
    writeFileSync(join(dir, 'edited.manifest.json'), JSON.stringify(m));
    const rep = await runCli(['report', 'edited.manifest.json', '-o', 'page.html', '--mixed', 'out.json', '--input', input], { cwd: dir });
    expect(rep.code, rep.stderr).toBe(0);
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html).toContain('https://llm.example.net/…');
    for (const secret of ['alice', 'sk-live-ABCDEFGH', 'sk-proj-XYZ', 'api_key', 'tok_123456789']) expect(html, secret).not.toContain(secret);
  });

  it('--report with nothing to read back (standard input, -o -, --dry-run) is a usage error before anything is written', async () => {
    const dir = tempDir('safemix-report-');
    const input = fixture(dir);
    for (const args of [
      ['mix', '-', '-o', 'out.json', '--report', 'page.html'],
      ['mix', input, '-o', '-', '--report', 'page.html'],
      ['mix', input, '-o', 'out.json', '--dry-run', '--report', 'page.html'],
    ]) {
      const r = await runCli(args, { cwd: dir, stdin: readFileSync(input) });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--report reads the input, the output and its manifest again');
      expect(existsSync(join(dir, 'page.html'))).toBe(false);
      expect(existsSync(join(dir, 'out.json'))).toBe(false);
    }
  });

  it('a manifest that is not one, or a missing mixed file, is a clear error', async () => {
    const dir = tempDir('safemix-report-');
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    const a = await runCli(['report', 'x.json', '-o', 'page.html'], { cwd: dir });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('not a safemix mix manifest');
    const input = fixture(dir);
    await runCli(['mix', input, '-o', join(dir, 'out.json'), '--count', '2', '--quiet'], { cwd: dir });
    const b = await runCli(['report', 'out.json.manifest.json', '-o', 'page.html', '--mixed', 'gone.json'], { cwd: dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--mixed');
    expect(existsSync(join(dir, 'page.html'))).toBe(false);
  });
});
