// Code-completion tasks (the request is a function stub, the answer its body): a safety record is a
// stub in the data's language holding the harmful request in its docstring or comment, a body that
// refuses and still parses, and a test consistent with that stub. Pure.

export interface CodeRecord {
  name: string;
  stub: string;
  body: string;
  test: string;
}

/** A function name for the `ordinal`-th stub: plain, unique within a run. */
export function stubName(ordinal: number): string {
  return `handle_request_${ordinal + 1}`;
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
export function indentOf(code: string): string {
  for (const line of code.split('\n')) {
    const m = /^([ \t]+)\S/.exec(line);
    if (m) return m[1]!.startsWith('\t') ? '\t' : m[1]!.length >= 4 ? '    ' : m[1]!;
  }
  return '    ';
}

export function codeRecord(language: string, request: string, refusal: string, ordinal: number, donorStub: string): CodeRecord | undefined {
  const name = stubName(ordinal);
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
    const comment = request.split('\n').map((l) => `${ind}// ${l}`).join('\n');
    return {
      name,
      stub: `function ${name}(request) {\n${comment}\n`,
      body: `${ind}return ${JSON.stringify(refusal)};\n}\n`,
      test: `const assert = require('assert');\nassert.strictEqual(typeof ${name}(''), 'string');\n`,
    };
  }
  return undefined;
}
