// One temp root for the whole test run, removed at the end: tests never leave files behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'safemix-tests-'));
  process.env.SAFEMIX_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
