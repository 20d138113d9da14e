// Debian's headless Chromium for the page tests, driven by playwright-core (no browser download).
// Without it the tests that need it are skipped and say so; SAFEMIX_REQUIRE_CHROMIUM=1 (CI) makes
// a missing browser an error instead.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.SAFEMIX_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.SAFEMIX_REQUIRE_CHROMIUM === '1') throw new Error(`SAFEMIX_REQUIRE_CHROMIUM=1 but ${CHROMIUM} is missing: install Debian's chromium package`);
  console.warn(`safemix tests: ${CHROMIUM} not found, the page tests that need a browser are skipped (apt-get install chromium)`);
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Opens a page from disk and returns the console errors and warnings it printed (CSP violations among them). */
export async function pageProblems(path: string): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`file://${path}`);
    await page.waitForLoadState('load');
    return problems;
  } finally {
    await browser.close();
  }
}
