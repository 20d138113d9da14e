// The cheap screen every record of a file passes in the first pass (not only the sample): one scan of
// the record's bytes for the marks an encoding leaves on its surface, whatever its family. A record
// it flags is a suspect, and suspects are analysed in full beside the sample, so neither where an
// encoded row sits in the file nor how large the records are can keep it out of the analysis.
// The screen decides nothing: the analysis does. The scan itself is WebAssembly (screen-wasm/),
// for one steady speed on every byte; this module loads it and gives it each record and its tables.
// It loads the build with 128-bit vectors where the engine validates it, else the build without.
import { SCREEN_WASM_SCALAR, SCREEN_WASM_SIMD } from './screen-wasm/binary.js';

/** What the screen looks for, as the reason it gives. */
type ScreenMark =
  | 'invisible'
  | 'styled'
  | 'symbols'
  | 'mixed-script'
  | 'long-run'
  | 'percent-run'
  | 'separated'
  | 'morse'
  | 'letters'
  | 'tokens'
  | 'lines'
  | 'word-order'
  | 'sentences';

/**
 * Short words that Latin-script prose is full of (English, Spanish, French, German, Portuguese,
 * Italian, Dutch, Polish, Turkish, and code's own): a text whose two- and three-letter words are
 * almost never one of these has had its letters changed (a substitution, a shift, a reversal).
 */
const COMMON_SHORT = (
  'the of and to in is it you that he was for on are as with his they at be this or had by not but one all we can an her' +
  ' she him has its our out who how may any new now two way use see get set let if do no so up my me am us go de la el en' +
  ' los las del un una por con se es al lo le et les des du une est pas qui que il ne sur au der die und das den dem ein ist' +
  ' zu im mit von sie ich er auf nicht o os da do em um na no para com e i il di che non per del al nel ma ed het een van' +
  ' op te dat zijn met voor w z na nie jak to jest si ve bu bir ile da de mi ne var int for def var end nil new try use'
)
  .split(' ')
  .map(wordCode);

/**
 * Short words English puts before "the" or "a" and never after them ("of the", never "the of"): after
 * an article, one of these is a word pair turned round (the word order reversed).
 */
const AFTER_ARTICLE_TURNED = 'of in to on and for at by is was are if all as'.split(' ').map(wordCode);

/** English's commonest letter pairs (about 200): the initials of sentences that spell a message run through them. */
const COMMON_PAIRS = (
  'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch' +
  ' ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt' +
  ' po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo' +
  ' av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo'
)
  .split(' ')
  .map(wordCode);

/** A short lower-case word as a number (a..z as 1..26, base 27). */
function wordCode(w: string): number {
  let code = 0;
  for (const ch of w) code = code * 27 + (ch.charCodeAt(0) - 96);
  return code;
}

/** The marks in the order the scan numbers them (1 for the first). */
const MARKS: ScreenMark[] = [
  'invisible',
  'styled',
  'symbols',
  'mixed-script',
  'long-run',
  'percent-run',
  'separated',
  'morse',
  'letters',
  'tokens',
  'lines',
  'word-order',
  'sentences',
];
/** A record this large grows the scan's memory; the grown instance is let go after it (a 64 MB record must not stay resident). */
const KEEP_BYTES = 4 << 20;

/** What this module uses of the WebAssembly API (the project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

interface ScanExports {
  memory: { buffer: ArrayBuffer };
  input(n: number): number;
  commonTable(): number;
  turnedTable(): number;
  pairTable(): number;
  screen(at: number, n: number): number;
}

/** A screen over one build of the scan: a record's bytes to its first mark (see screenBytes). */
type Screen = (b: Uint8Array) => ScreenMark | undefined;

/**
 * The screen of a build of the scan (its WebAssembly): an instance made on first use, with its word
 * tables filled, and made anew after a record that grew its memory past KEEP_BYTES or a failure.
 */
export function screenOf(build: Uint8Array): Screen {
  let compiled: object | undefined;
  let scan: ScanExports | undefined;
  const instance = (): ScanExports => {
    if (scan) return scan;
    compiled ??= new wasm.Module(build);
    const made = new wasm.Instance(compiled, {}).exports as unknown as ScanExports;
    const fill = (table: number, codes: number[], size = 27 * 27 * 27) => {
      const bytes = new Uint8Array(made.memory.buffer, table, size);
      for (const code of codes) if (code < bytes.length) bytes[code] = 1;
    };
    fill(made.commonTable(), COMMON_SHORT);
    fill(made.turnedTable(), AFTER_ARTICLE_TURNED);
    fill(made.pairTable(), COMMON_PAIRS, 27 * 27);
    return (scan = made);
  };
  return (b) => {
    const s = instance();
    let screened = false;
    try {
      const at = s.input(b.length) >>> 0;
      if (at === 0) throw new Error(`the covert-encoding screen could not grow its memory to hold a record of ${b.length} bytes`);
      new Uint8Array(s.memory.buffer, at, b.length).set(b);
      const mark = s.screen(at, b.length);
      screened = true;
      return mark ? MARKS[mark - 1] : undefined;
    } finally {
      // an instance grown for a large record, or in whatever state a failure left it, is not used again
      if (!screened || b.length > KEEP_BYTES) scan = undefined;
    }
  };
}

/** The scan's two builds (see screen-wasm/screen.ts): with 128-bit vectors, and without. */
type ScanBuild = 'simd' | 'scalar';

const BUILDS: Record<ScanBuild, string> = { simd: SCREEN_WASM_SIMD, scalar: SCREEN_WASM_SCALAR };
const screens: Partial<Record<ScanBuild, Screen>> = {};

/** The build this engine runs: the vector one where it validates (every current engine), else the other. */
let preferred: ScanBuild | undefined;
function preferredBuild(): ScanBuild {
  return (preferred ??= wasm.validate(Buffer.from(SCREEN_WASM_SIMD, 'base64')) ? 'simd' : 'scalar');
}

/**
 * The first mark of an encoding in a record's bytes (UTF-8, as stored), or undefined for a record
 * with none. One pass (a word's letters 16 at a time where the engine has vectors); each JSON
 * string's words are counted on their own (so a text beside its own encoding, a plain/encoded pair,
 * does not hide it), and a string whose digits, marks or repeated letters stand out has its tokens'
 * shapes read in a second pass over it alone.
 * `kind` picks a build of the scan (the one this engine runs best, unless a test asks for the other).
 */
export function screenBytes(b: Uint8Array, kind: ScanBuild = preferredBuild()): ScreenMark | undefined {
  return (screens[kind] ??= screenOf(Buffer.from(BUILDS[kind], 'base64')))(b);
}
