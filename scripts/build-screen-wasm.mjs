// Builds the screen's byte scan (src/encoding/screen-wasm/screen.ts, AssemblyScript) into
// src/encoding/screen-wasm/binary.ts, the WebAssembly as base64 that src/encoding/screen.ts loads.
// `npm run build:screen`; test/encoding/screen-scan.test.ts checks that the committed binary is
// this build of the committed source. With --check, prints the build and writes nothing.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const source = fileURLToPath(new URL('../src/encoding/screen-wasm/screen.ts', import.meta.url));
const target = fileURLToPath(new URL('../src/encoding/screen-wasm/binary.ts', import.meta.url));

/** One build of the source: with 128-bit vectors (`simd`) or without. */
async function build(simd) {
  let wasm;
  const flags = simd ? ['--enable', 'simd'] : [];
  const { error, stderr } = await asc.main([source, '-O3', '--runtime', 'stub', '--noAssert', ...flags, '--outFile', 'screen.wasm'], {
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) wasm = contents;
    },
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  return Buffer.from(wasm).toString('base64');
}

/** The binary.ts text for the current source: the vector build, and the build for engines without vectors. */
export async function buildScreenModule() {
  return (
    '// Built from screen.ts by `npm run build:screen` (scripts/build-screen-wasm.mjs): do not edit.\n' +
    `export const SCREEN_WASM_SIMD =\n  '${await build(true)}';\n` +
    `export const SCREEN_WASM =\n  '${await build(false)}';\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await buildScreenModule();
  if (process.argv.includes('--check')) process.stdout.write(text);
  else writeFileSync(target, text);
}
