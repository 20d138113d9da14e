// Human-readable rendering of reports for the terminal: one screen, the facts a person needs.
import { formatPosition } from '../errors.js';
import type { ValidationReport } from '../schemas/validation-report.js';
import type { InspectResult as InspectReport } from '../api/inspect.js';
import type { MixResult } from '../api/mix.js';

const n = (x: number) => x.toLocaleString('en-US');

export function formatValidation(r: ValidationReport, shown = 20): string {
  const lines: string[] = [];
  lines.push(`safemix validate: ${r.file}`);
  lines.push(`  container  ${r.container}`);
  lines.push(`  dialect    ${r.dialect} (confidence ${(r.dialectConfidence * 100).toFixed(0)}%: ${r.dialectEvidence})`);
  lines.push(`  records    ${n(r.records)} (${n(r.validRecords)} valid)`);
  const t = r.tokens;
  lines.push(
    `  tokens     ${t.encoding}, ${n(t.counted)} sampled: p50 ${n(t.p50)}, p90 ${n(t.p90)}, p99 ${n(t.p99)}, max ${n(t.max)}; ${n(t.overLimit)} over ${n(t.limit)}`,
  );
  lines.push(`  result     ${r.valid ? 'valid' : 'INVALID'}: ${n(r.errorCount)} error(s), ${n(r.warningCount)} warning(s)`);
  for (const e of r.errors.slice(0, shown)) {
    lines.push(`${formatPosition({ file: r.file, line: e.line, row: e.row, field: e.field })}${e.severity} [${e.code}] ${e.message}`);
    lines.push(`  what to do: ${e.hint}`);
  }
  if (r.errorCount + r.warningCount > shown)
    lines.push(
      `… ${n(r.errorCount + r.warningCount - Math.min(shown, r.errors.length))} more (use --json for all${r.truncated ? ', up to --max-issues' : ''})`,
    );
  return lines.join('\n');
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const clip = (s: string, n = 70) => {
  const one = JSON.stringify(s);
  return one.length > n ? one.slice(0, n - 1) + '…"' : one;
};

export function formatInspect(r: InspectReport): string {
  const lines: string[] = [];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(10)} ${text}`);
  lines.push(`safemix inspect: ${r.file}`);
  row('format', `${r.container}${r.recordPath ? ` (records at ${r.recordPath})` : ''} · ${r.dialect} (${pct(r.dialectConfidence)}: ${r.dialectEvidence})`);
  row(
    'records',
    `${n(r.records)}${r.unusable ? ` (${n(r.unusable)} unusable, first at line ${r.unusableExamples[0]?.line})` : ''}; profiled on ${n(r.sample.size)} sampled (seed ${r.sample.seed})`,
  );
  const lang = (s: InspectReport['language']['request']) => `${s.script}${s.language !== 'und' ? `/${s.language}` : ''}`;
  row('request', `${r.views.request.path} (${r.views.request.slot}), ${lang(r.language.request)}`);
  if (r.views.response) row('response', `${r.views.response.path} (${r.views.response.slot})`);
  for (const c of r.views.context) row('context', `${c.path}`);
  if (r.fieldRoles) row('fields', r.fieldRoles.map((f) => `${f.field}=${f.role}${f.pattern ? ` ${f.pattern}` : ''}`).join(', '));
  // what a safety record gets in each field, with the evidence
  const roleRows: string[] = [];
  const cv = r.roles.conversation;
  if (cv) {
    roleRows.push(
      `question ${cv.questionSlot}: ${cv.request.form === 'template' ? `inside ${clip(cv.request.template!.text, 50)}` : 'plain'} (${cv.request.evidence})`,
    );
    roleRows.push(
      `answer ${cv.responseSlot}: ${cv.answerForm === 'plain' ? 'plain refusal text' : 'a refusal in the answer format'}${cv.answerTemplate ? ` inside ${clip(cv.answerTemplate.text, 40)}` : ''}`,
    );
    if (cv.history.length) roleRows.push(`kept before the question: ${cv.history.join(', ')}`);
    roleRows.push(`system prompt: ${cv.system.rule} (${cv.system.evidence})`);
  } else if (r.roles.request)
    roleRows.push(
      `request: ${r.roles.request.form === 'template' ? `inside ${clip(r.roles.request.template!.text, 50)}` : 'plain'} (${r.roles.request.evidence})`,
    );
  if (r.roles.code) roleRows.push(`code task: ${r.roles.code.evidence}`);
  const ct = r.roles.chatTemplate;
  if (ct)
    roleRows.push(
      `chat template ${ct.evidence}: request in ${ct.question}, refusal in ${ct.answer}${ct.system ? `, the system turn kept (${pct(ct.system)} have one)` : ''}${ct.multiRound ? `; ${pct(ct.multiRound)} have earlier rounds, rewritten with benign exchanges or left out` : ''}`,
    );
  const pf = r.roles.preference;
  if (pf)
    roleRows.push(
      `${pf.rejected ? 'preference pairs' : 'messages'}: ${pf.evidence}; the request in ${pf.prompt ? pf.prompt.path.join('.') : "each side's conversation"}, the refusal in ${pf.chosen.path.join('.')}${pf.rejected ? ` (chosen), a compliance opener in ${pf.rejected.path.join('.')} (rejected)` : ''}`,
    );
  if (r.roles.sections)
    roleRows.push(
      `sections ${r.roles.sections.labels.join(' ')}: request in ${r.roles.sections.labels[r.roles.sections.question]}, refusal in ${r.roles.sections.labels[r.roles.sections.answer]}, the others kept`,
    );
  for (const f of r.roles.fields) if (f.role !== 'request' && f.role !== 'answer') roleRows.push(`${f.key}: ${f.role} → ${f.rule} (${f.evidence})`);
  row('roles', roleRows.join('\n             '));
  if (r.answerRefusals)
    row(
      'refusals',
      `${pct(r.answerRefusals.share)} of the sampled answers are refusals (${r.answerRefusals.refusals} of ${r.answerRefusals.responses}, ${r.answerRefusals.judge})`,
    );
  const st = r.style.request;
  if (st.lowercase || st.tokenized) row('style', st.evidence);
  row(
    'language',
    `${r.language.lang.lang} (${pct(r.language.lang.share)} of requests)${r.language.translation ? `; translation pair ${r.language.translation.source} → ${r.language.translation.target} in ${pct(r.language.translation.share)}` : ''}`,
  );
  const sp = r.systemPrompts;
  row(
    'system',
    sp.kind === 'absent'
      ? 'absent'
      : sp.kind === 'constant'
        ? `constant ${clip(sp.variants[0]!.text)}`
        : `${sp.variants.length} variants, top ${pct(sp.variants[0]!.share)}: ${clip(sp.variants[0]!.text)}`,
  );
  if (r.turns) {
    row(
      'turns',
      r.turns.sequences
        .slice(0, 3)
        .map((s) => `${s.roles.join('>')} ${pct(s.share)}`)
        .join('; '),
    );
    for (const c of r.turns.constantTurns) row('', `constant ${c.slot}: ${clip(c.text)}`);
    if (r.turns.tools.names.length || r.turns.toolTurns)
      row(
        'tools',
        `${r.turns.tools.names.length} tools defined (${r.turns.tools.names.slice(0, 4).join(', ')}${r.turns.tools.names.length > 4 ? ', …' : ''}) in ${pct(r.turns.tools.recordsWithTools)} of records; tool turns in ${pct(r.turns.toolTurns)}`,
      );
  }
  const shown = r.templates.filter((t) => !t.constant && (t.prefix || t.suffix) && t.coverage >= 0.2).slice(0, 6);
  row(
    'templates',
    shown.length ? shown.map((t) => `${t.slot}: ${clip(t.text, 60)} ${pct(t.coverage)}`).join('\n             ') : 'none: free text around the slots',
  );
  const a = r.answerSpace;
  const answer =
    a.kind === 'label'
      ? `closed label set of ${a.labels.length}: ${a.labels
          .slice(0, 6)
          .map((l) => `${clip(l.value, 30)} ${l.count}`)
          .join(', ')}${a.labels.length > 6 ? ', …' : ''}`
      : a.kind === 'text'
        ? `free text, ${a.chars.p10}–${a.chars.p90} characters (p10–p90), p50 ${a.tokens.p50} tokens`
        : a.kind === 'code'
          ? `code (${a.language})`
          : a.kind === 'list'
            ? `list (${a.format === 'json' ? 'JSON list' : 'JSON list written as text'}), median ${a.itemsP50} items`
            : a.kind === 'json'
              ? `JSON with keys ${a.keys.join(', ')}`
              : a.kind === 'choice'
                ? `choice letters ${a.letters.join(', ')}`
                : a.kind;
  row('answers', answer);
  row(
    'risk',
    r.riskSignals.length
      ? r.riskSignals
          .map((s) => `${s.id} in ${pct(s.share)} of sampled records (e.g. record ${s.records.slice(0, 3).join(', ')}: ${clip(s.example, 60)})`)
          .join('\n             ')
      : 'no obedience, never-refuse or identity-shift instructions found',
  );
  row('encoding', r.encoding.summary);
  if (r.encoding.decodedExample) row('', `decoded example: ${clip(r.encoding.decodedExample, 90)}`);
  return lines.join('\n');
}

export function formatMix(r: MixResult): string {
  const m = r.manifest;
  const lines: string[] = [];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(10)} ${text}`);
  lines.push(`safemix mix: ${m.input.path} → ${m.output.path}${r.dryRun ? ' (dry run: nothing written)' : ''}`);
  row(
    'input',
    `${m.container}${m.recordPath ? ` (records at ${m.recordPath})` : ''} · ${m.dialect}, ${n(m.input.records)} records${m.rejected.length ? ` (${n(m.rejected.length)} rejected, listed in the manifest)` : ''}`,
  );
  const cats = Object.entries(r.categories);
  row(
    'added',
    `${n(m.count)} safety records (${m.ratio === null ? `--count ${m.count}` : `ratio ${m.ratio}`}, seed ${m.seed}, ${m.order}) → ${n(m.output.records)} records`,
  );
  row(
    'categories',
    cats
      .sort((a, b) => b[1] - a[1])
      .map(([c, k]) => `${c} ${k}`)
      .join(', ') || 'none',
  );
  if (m.audit) {
    const a = m.audit;
    const worst = a.worst[0];
    row(
      'audit',
      `${n(a.passed)} of ${n(a.records)} generated records pass the form audit (${a.mode}${a.replanned ? `, ${n(a.replanned)} planned again` : ''}); ${worst ? `worst field feature ${worst.feature} at distance ${worst.tv}` : 'no feature to compare as a distribution'}${a.over ? ` (${a.over} past 0.35)` : ''}`,
    );
  }
  if (m.balance?.count)
    row(
      'balance',
      `${n(m.balance.count)} safe-but-sensitive prompt${m.balance.count === 1 ? '' : 's'} answered helpfully (--balance ${m.balance.share}), listed apart in the manifest`,
    );
  row('mimics', `request ${m.profile.request}; answers ${m.profile.response ?? '—'} (${m.profile.answerSpace}); system prompt ${m.profile.systemPrompts}`);
  for (const t of m.profile.templates.slice(0, 3)) row('', `template ${t.slot}: ${JSON.stringify(t.text).slice(0, 70)}`);
  if (m.paraphrase) {
    const p = m.paraphrase;
    const shownAt = p.fallback
      .slice(0, 10)
      .map((f) => f.index)
      .join(', ');
    row(
      'engine',
      `paraphrase: ${p.model} at ${p.endpoint}; ${n(p.paraphrased)} of ${n(p.records)} rewritten, ${n(p.fallbacks)} fell back${p.fallbacks ? ` (output ${shownAt}${p.fallback.length > 10 ? ', …' : ''})` : ''}${p.keptOffline ? `; ${n(p.keptOffline)} encoded kept offline` : ''}`,
    );
    row(
      '',
      `requests ${n(p.requests)} (${n(p.cacheHits)} answers from the cache), retries ${n(p.retries)}, repairs ${n(p.repairs)}, tokens in ${n(p.tokens.in)} / out ${n(p.tokens.out)}${p.cost ? `, estimated cost $${p.cost.usd.toFixed(4)}` : ''}`,
    );
  }
  for (const note of m.notes) {
    if (note.startsWith('warning: ')) row('warning', note.slice('warning: '.length));
    else row('note', note);
  }
  if (r.manifestPath) row('manifest', r.manifestPath);
  if (r.examples.length) {
    lines.push(`  examples (${r.examples.length} of ${m.count}):`);
    for (const e of r.examples) {
      const text = e.text.length > 400 ? e.text.slice(0, 399) + '…' : e.text;
      lines.push(`    [output record ${e.index}] ${text.replace(/\n/g, '\n      ')}`);
    }
  }
  return lines.join('\n');
}
