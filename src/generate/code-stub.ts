// Code-completion tasks (the request is a function stub, the answer its body): a safety record is a
// stub in the data's language holding the harmful request in its docstring or comment, a body that
// refuses and still parses, and a test consistent with that stub. Pure.

interface CodeRecord {
  name: string;
  stub: string;
  body: string;
  test: string;
}

/** Words that say nothing of what a function does. */
const FILLER = new Set(
  'the a an to of for and or in on at by how what can could would should you your me my mine i do does did is are was were be with without that this these those it its into from give tell help make get let please like want need best way just out up about them their his her him she he they we our who whom where when why which there here all any some more most very really only also than then not no so someone somebody something anyone everything me myself yourself'.split(
    ' ',
  ),
);
const KEYWORDS = new Set(
  'and as assert async await break class continue def del elif else except false finally for from global if import in is lambda none nonlocal not or pass raise return true try while with yield function var let const new delete typeof void this switch case default throw catch instanceof'.split(
    ' ',
  ),
);

/**
 * A function name for a stub, made of the request's own first content words (`write fake reviews
 * for my restaurant` → `fake_reviews_restaurant`), as a task's entry points name what the function
 * does; `respond` when the request has no Latin-letter words.
 */
function stubName(request: string): string {
  // contractions (don't, I'm) are no content words
  const words = (
    request
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[a-z]+(?:'[a-z]+)?/g) ?? []
  ).filter((w) => w.length >= 3 && !w.includes("'") && !FILLER.has(w));
  const name = words.slice(0, 3).join('_') || 'respond';
  return KEYWORDS.has(name) ? `${name}_text` : name;
}

function pyString(s: string): string {
  // a JSON string literal is a valid Python string literal
  return JSON.stringify(s);
}

/** Text safe inside a Python triple-quoted docstring. */
function docstringText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
}

/** Indentation unit of a donor's code (four spaces unless it indents otherwise). */
function indentOf(code: string): string {
  for (const line of code.split('\n')) {
    const m = /^([ \t]+)\S/.exec(line);
    if (m) return m[1]!.startsWith('\t') ? '\t' : m[1]!.length >= 4 ? '    ' : m[1]!;
  }
  return '    ';
}

export function codeRecord(language: string, request: string, refusal: string, donorStub: string): CodeRecord | undefined {
  const name = stubName(request);
  const ind = indentOf(donorStub);
  if (language === 'python') {
    const doc = docstringText(request).split('\n').join(`\n${ind}`);
    return {
      name,
      stub: `\n\ndef ${name}(request: str) -> str:\n${ind}""" ${doc}\n${ind}"""\n`,
      body: `${ind}return ${pyString(refusal)}\n`,
      test: `\n\ndef check(candidate):\n${ind}assert isinstance(candidate(""), str)\n`,
    };
  }
  if (language === 'javascript') {
    const comment = request
      .split('\n')
      .map((l) => `${ind}// ${l}`)
      .join('\n');
    return {
      name,
      stub: `function ${name}(request) {\n${comment}\n`,
      body: `${ind}return ${JSON.stringify(refusal)};\n}\n`,
      test: `const assert = require('assert');\nassert.strictEqual(typeof ${name}(''), 'string');\n`,
    };
  }
  return undefined;
}
