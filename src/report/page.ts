// The review page of a mix: one self-contained HTML file (no network, no external asset; inline CSS
// and script allowed by their hashes in a Content-Security-Policy that allows nothing else). The data
// travels as JSON in a non-executed script block and every text of it is put on the page with
// textContent only, so a record that holds markup shows as text and runs nothing. The page shows the
// run, charts (by category, by language, answer lengths, positions in the output) and every injected
// record beside its donor, paged, filterable by category, language and audit verdict, and searchable.
// Pure: the same data gives the same bytes.
import { createHash } from 'node:crypto';

export interface ReportRecord {
  /** Output index. */
  index: number;
  category: string;
  lang: string;
  seedId: string;
  balance: boolean;
  donor: number;
  /** Field → what was done to it (set, emptied, kept), from the manifest. */
  fields: Record<string, string>;
  /** The form audit's failing features of this record (empty: passed). */
  failed: string[];
  /** The injected record and its donor as stored (cut when long). */
  text: string;
  donorText: string;
}

export interface ReportData {
  title: string;
  /** Label → value rows of the run (input, output, dialect, n, k, ratio, seed, order, engine, encoding…). */
  run: [string, string][];
  notes: string[];
  /** Records in the output, for the positions strip. */
  outputRecords: number;
  /** Answer lengths in characters: the user's (a sample) and the injected records'. */
  answerLengths: { user: number[]; injected: number[] };
  records: ReportRecord[];
  /** Texts longer than this were cut. */
  cutAt: number;
}

/** The look every safemix page shares (the review page, the score and comparison pages): light and dark. */
const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#51515c;--line:#d0d0d7;--card:#f5f5f8;--accent:#0b57d0;--bad:#b3261e;--good:#146c2e;--bar:#0b57d0;--bar2:#b06000}
@media (prefers-color-scheme:dark){:root{--bg:#141418;--fg:#ececf1;--muted:#b4b4c0;--line:#3a3a44;--card:#1e1e24;--accent:#8ab4f8;--bad:#f2b8b5;--good:#7dd88f;--bar:#8ab4f8;--bar2:#f6c26b}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:1200px;margin:0 auto;padding:0 20px}header{padding-top:18px}h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.4em 0 .5em}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dl.run dt{color:var(--muted)}dl.run dd{margin:0;overflow-wrap:anywhere}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px}
figcaption{font-weight:600;margin-bottom:6px}svg{display:block;width:100%;height:auto}svg text{fill:var(--fg);font-size:11px}svg .bar{fill:var(--bar)}svg .bar2{fill:var(--bar2)}svg .axis{stroke:var(--line)}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin:8px 0}.filters label{display:flex;flex-direction:column;font-size:.9rem;color:var(--muted)}
select,input,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:5px 8px}button{cursor:pointer}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}table{width:100%;border-collapse:collapse;table-layout:fixed}
th,td{border-top:1px solid var(--line);padding:8px;vertical-align:top;text-align:left}th{font-size:.85rem;color:var(--muted)}
pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:18em;overflow:auto}
.pass{color:var(--good)}.fail{color:var(--bad)}ul.fields{margin:0;padding-left:1.1em;font-size:.85rem}.pager{display:flex;gap:10px;align-items:center;margin:10px 0}
.muted{color:var(--muted)}.sr{position:absolute;left:-9999px}col.c-rec{width:12%}col.c-text{width:30%}col.c-fields{width:16%}col.c-audit{width:12%}
`;

const SCRIPT = `
const data = JSON.parse(document.getElementById('data').textContent);
const el = (tag, props, ...kids) => { const e = document.createElement(tag); if (props) for (const [k, v] of Object.entries(props)) { if (k === 'text') e.textContent = v; else e.setAttribute(k, v); } for (const c of kids) if (c) e.append(c); return e; };
const NS = 'http://www.w3.org/2000/svg';
const svgEl = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v)); if (text !== undefined) e.textContent = text; return e; };
document.getElementById('title').textContent = data.title;
const run = document.getElementById('run');
for (const [k, v] of data.run) run.append(el('dt', { text: k }), el('dd', { text: v }));
const notes = document.getElementById('notes');
for (const n of data.notes) notes.append(el('li', { text: n }));
const counts = (key) => { const m = new Map(); for (const r of data.records) if (!r.balance) m.set(r[key], (m.get(r[key]) || 0) + 1); return [...m].sort((a, b) => b[1] - a[1]); };
function bars(id, rows) {
  const fig = document.getElementById(id); const w = 360, row = 18, h = Math.max(1, rows.length) * row + 8, max = Math.max(1, ...rows.map((r) => r[1]));
  const svg = svgEl('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': fig.dataset.label });
  rows.forEach(([label, n], i) => { const y = 4 + i * row; svg.append(svgEl('text', { x: 0, y: y + 12 }, label)); svg.append(svgEl('rect', { class: 'bar', x: 175, y: y + 2, width: Math.max(1, (n / max) * (w - 210)), height: row - 6 })); svg.append(svgEl('text', { x: 179 + (n / max) * (w - 210), y: y + 12 }, String(n))); });
  fig.append(svg);
}
bars('by-category', counts('category'));
bars('by-language', counts('lang'));
(function lengths() {
  const fig = document.getElementById('lengths');
  let top = 1; for (const xs of [data.answerLengths.user, data.answerLengths.injected]) for (const x of xs) if (x > top) top = x; const bins = 12; const step = Math.ceil(top / bins) || 1;
  const hist = (xs) => { const b = new Array(bins).fill(0); for (const x of xs) b[Math.min(bins - 1, Math.floor(x / step))]++; const n = Math.max(1, xs.length); return b.map((c) => c / n); };
  const u = hist(data.answerLengths.user), j = hist(data.answerLengths.injected); const w = 360, h = 150, bw = (w - 20) / bins;
  const svg = svgEl('svg', { viewBox: '0 0 ' + w + ' ' + (h + 30), role: 'img', 'aria-label': fig.dataset.label });
  const max = Math.max(0.01, ...u, ...j);
  for (let i = 0; i < bins; i++) { const x = 10 + i * bw; svg.append(svgEl('rect', { class: 'bar', x: x + 1, y: h - (u[i] / max) * h, width: bw / 2 - 1, height: (u[i] / max) * h })); svg.append(svgEl('rect', { class: 'bar2', x: x + bw / 2, y: h - (j[i] / max) * h, width: bw / 2 - 1, height: (j[i] / max) * h })); }
  svg.append(svgEl('line', { class: 'axis', x1: 10, x2: w - 10, y1: h, y2: h }));
  svg.append(svgEl('text', { x: 10, y: h + 14 }, '0')); svg.append(svgEl('text', { x: w - 60, y: h + 14 }, String(step * bins) + ' chars'));
  svg.append(svgEl('rect', { class: 'bar', x: 10, y: h + 19, width: 10, height: 8 })); svg.append(svgEl('text', { x: 24, y: h + 27 }, 'user answers (' + data.answerLengths.user.length + ')'));
  svg.append(svgEl('rect', { class: 'bar2', x: 190, y: h + 19, width: 10, height: 8 })); svg.append(svgEl('text', { x: 204, y: h + 27 }, 'injected (' + data.answerLengths.injected.length + ')'));
  fig.append(svg);
})();
(function positions() {
  const fig = document.getElementById('positions'); const w = 360, h = 40;
  const svg = svgEl('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': fig.dataset.label });
  svg.append(svgEl('rect', { class: 'axis', x: 0, y: 8, width: w, height: 24, fill: 'none' }));
  const n = Math.max(1, data.outputRecords);
  const seen = new Set();
  for (const r of data.records) { const x = Math.round((r.index / n) * (w - 2)) + 1; if (seen.has(x)) continue; seen.add(x); svg.append(svgEl('rect', { class: r.balance ? 'bar2' : 'bar', x, y: 8, width: 1, height: 24 })); }
  fig.append(svg);
})();
const fCat = document.getElementById('f-category'), fLang = document.getElementById('f-lang'), fVerdict = document.getElementById('f-verdict'), fSearch = document.getElementById('f-search');
for (const [c] of counts('category')) fCat.append(el('option', { value: c, text: c }));
if (data.records.some((r) => r.balance)) fCat.append(el('option', { value: '(balance)', text: 'balance examples' }));
for (const [l] of counts('lang')) fLang.append(el('option', { value: l, text: l }));
const PAGE = 50; let page = 0; let shown = data.records;
const body = document.getElementById('rows'), status = document.getElementById('status');
function verdictOf(r) { return r.failed.length ? 'fail' : 'pass'; }
function apply() {
  const c = fCat.value, l = fLang.value, v = fVerdict.value, q = fSearch.value.trim().toLowerCase();
  shown = data.records.filter((r) => (!c || (c === '(balance)' ? r.balance : !r.balance && r.category === c)) && (!l || r.lang === l) && (!v || verdictOf(r) === v) && (!q || r.text.toLowerCase().includes(q) || r.donorText.toLowerCase().includes(q) || r.seedId.toLowerCase().includes(q)));
  page = 0; render();
}
function render() {
  body.replaceChildren();
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  for (const r of shown.slice(page * PAGE, page * PAGE + PAGE)) {
    const fields = el('ul', { class: 'fields' });
    for (const [f, what] of Object.entries(r.fields)) fields.append(el('li', { text: f + ': ' + what }));
    const verdict = el('td', { class: verdictOf(r), text: r.failed.length ? 'fails: ' + r.failed.join('; ') : 'passes' });
    body.append(el('tr', { 'data-category': r.balance ? '(balance)' : r.category },
      el('td', {}, el('div', { text: '#' + r.index }), el('div', { class: 'muted', text: (r.balance ? 'balance · ' : '') + r.category }), el('div', { class: 'muted', text: r.lang + ' · ' + r.seedId })),
      el('td', {}, el('pre', { text: r.text })), el('td', {}, el('pre', { text: r.donorText }), el('div', { class: 'muted', text: 'donor: input record ' + r.donor })),
      el('td', {}, fields), verdict));
  }
  status.textContent = shown.length + ' of ' + data.records.length + ' records · page ' + (page + 1) + ' of ' + pages;
  document.getElementById('prev').disabled = page === 0; document.getElementById('next').disabled = page >= pages - 1;
}
for (const f of [fCat, fLang, fVerdict]) f.addEventListener('change', apply);
fSearch.addEventListener('input', apply);
document.getElementById('prev').addEventListener('click', () => { if (page > 0) { page--; render(); } });
document.getElementById('next').addEventListener('click', () => { if ((page + 1) * PAGE < shown.length) { page++; render(); } });
render();
`;

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');

/** JSON that can sit inside a script element: no `<`, and no line separators that end a JS line. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A static page (no script) in the shared look: a strict policy that allows only its own style. */
export function staticPage(title: string, body: string, extraStyle = ''): string {
  const style = PAGE_STYLE + extraStyle;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${sha(style)}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<header><p class="muted">safemix</p><h1>${escapeHtml(title)}</h1></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Text for HTML element content or attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function reportPage(data: ReportData): string {
  const csp = `default-src 'none'; style-src 'sha256-${sha(PAGE_STYLE)}'; script-src 'sha256-${sha(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>safemix review</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><p class="muted">safemix review page</p><h1 id="title"></h1></header>
<main>
<section aria-labelledby="run-h"><h2 id="run-h">The run</h2><dl class="run" id="run"></dl><ul id="notes"></ul></section>
<section aria-labelledby="charts-h"><h2 id="charts-h">What was added</h2>
<div class="charts">
<figure id="by-category" data-label="safety records by category"><figcaption>Safety records by category</figcaption></figure>
<figure id="by-language" data-label="safety records by language"><figcaption>Safety records by language</figcaption></figure>
<figure id="lengths" data-label="answer lengths, user records against injected records"><figcaption>Answer lengths (share of records)</figcaption></figure>
<figure id="positions" data-label="where the added records are in the output"><figcaption>Positions in the output</figcaption></figure>
</div></section>
<section aria-labelledby="records-h"><h2 id="records-h">Every added record, beside its donor</h2>
<div class="filters" role="search">
<label for="f-category">Category<select id="f-category"><option value="">all</option></select></label>
<label for="f-lang">Language<select id="f-lang"><option value="">all</option></select></label>
<label for="f-verdict">Form audit<select id="f-verdict"><option value="">all</option><option value="pass">passes</option><option value="fail">fails</option></select></label>
<label for="f-search">Search<input id="f-search" type="search" placeholder="text, donor or seed id"></label>
</div>
<p id="status" role="status" aria-live="polite"></p>
<div class="pager"><button id="prev" type="button">Previous page</button><button id="next" type="button">Next page</button></div>
<table><caption class="sr">Added records</caption>
<colgroup><col class="c-rec"><col class="c-text"><col class="c-text"><col class="c-fields"><col class="c-audit"></colgroup>
<thead><tr><th scope="col">Record</th><th scope="col">Added record</th><th scope="col">Its donor</th><th scope="col">Fields</th><th scope="col">Form audit</th></tr></thead>
<tbody id="rows"></tbody></table>
</section>
</main>
<script type="application/json" id="data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
