// The notes of a mix run's manifest: what the run did to the data, said in words (the balance
// examples, the answer space, dialogue summaries, tool calls, languages, style, risk signals, a
// covert encoding, a recovered commit, a capped sample, paraphrase fallbacks, a dry run).
import type { SafetyPlanner } from '../generate/planner.js';
import type { ClosedAnswerDecision } from '../generate/answer-policy.js';
import type { BalanceDecision } from '../generate/balance-policy.js';
import type { Profile } from '../profile/profile.js';
import type { Manifest } from '../schemas/manifest.js';
import { SAMPLE_MAX_BYTES } from './sample.js';
import type { AddedPlan } from './mix-plan.js';
import type { FirstPass } from './mix-pass1.js';
import type { MixRun } from './mix-types.js';

/** The notes of a run that wrote `output`; `recovered`: the output of a killed run's commit, put in place first. */
export function mixNotes(first: FirstPass, plan: AddedPlan, output: string, recovered: string | undefined): string[] {
  const { profile, closed, encodingNotes, sampleCapped, sample } = first;
  const { planner, balance, paraphrase } = plan;
  const notes = [...notesFor(profile, planner, closed, balance, paraphrase !== undefined), ...encodingNotes];
  if (recovered)
    notes.push(
      `a run killed between renaming its manifest and its output had left ${output} behind its manifest; its finished output (${recovered}) was put in place before this run`,
    );
  if (sampleCapped)
    notes.push(`the records are large: the profile's sample holds ${sample.length} records, the most that fit in ${SAMPLE_MAX_BYTES / (1024 * 1024)} MiB`);
  if (paraphrase && paraphrase.fallbackShare > 0.2)
    notes.push(
      `warning: ${paraphrase.report.fallbacks} of ${paraphrase.report.records} paraphrased records (${Math.round(paraphrase.fallbackShare * 100)}%) fell back to the offline engine (their output indices are in the manifest); --max-fallback R makes this an error`,
    );
  return notes;
}

/** The note of a dry run: nothing was written, and what the output would have been. */
export function dryRunNote({ options, choices }: MixRun, manifest: Manifest): string {
  return `dry run: nothing was written; ${options.output === '-' ? 'standard output' : options.output} would hold ${manifest.output.records} records (sha256 ${manifest.output.sha256.slice(0, 12)}…)${choices.engine === 'paraphrase' ? "; the paraphrase engine was not called, the records are the offline engine's" : ''}`;
}

function notesFor(
  profile: Profile,
  planner: SafetyPlanner | undefined,
  closed: ClosedAnswerDecision,
  balance: BalanceDecision,
  paraphrased: boolean,
): string[] {
  const notes: string[] = [];
  if ('skipped' in balance && planner) notes.push(balance.skipped);
  else if (balance.count > 0)
    notes.push(
      `${balance.count} balance example(s) added beside the safety records: safe-but-sensitive prompts answered helpfully in the task's format (--balance ${balance.share}; listed apart in the manifest's balanceRecords)`,
    );
  const a = profile.answerSpace;
  if (closed.kind === 'skip' || closed.kind === 'refuse' || closed.kind === 'label' || closed.kind === 'unanswerable') notes.push(closed.note);
  else if (a.kind === 'number') notes.push('the answers are numbers; safety records answer with refusal text, so the answer space is extended');
  else if (a.kind === 'choice')
    notes.push(
      `the answers are choice letters (${a.letters.join(', ')}); where the options are listed, a safety question gets a refusal option and its letter is the answer, else the answer is refusal text (the answer space is extended)`,
    );
  if (planner?.dialogueEvidence)
    notes.push(
      `dialogue summaries: ${planner.dialogueEvidence}; safety records are dialogues in the data's speaker tags in which the second speaker declines, summarised in the third person`,
    );
  if (planner?.toolCalling && profile.dialect === 'openai-chat')
    notes.push(
      paraphrased
        ? 'tool-calling chats: where the donor calls a tool, the model wrote a benign tool round (request, call of a declared tool, result, reply) before the safety request'
        : "tool-calling chats: the safety records refuse without a tool call, after plain benign rounds; with --engine paraphrase a model writes a benign tool round (a call of one of the record's tools, its result and the reply) before the request",
    );
  else if (planner?.toolCalling)
    notes.push(
      "tool-calling chats: where the donor's turns hold tool calls, the safety record has as many turns, plain benign rounds written for the record and then the request; the refusal calls no tool",
    );
  if (planner) {
    const langs = Object.entries(planner.drawn.languages)
      .map(([l, n]) => `${l} ${n}`)
      .join(', ');
    if (langs) notes.push(`languages of the safety records: ${langs}`);
    if (planner.drawn.languageFallbacks)
      notes.push(`${planner.drawn.languageFallbacks} safety record(s) are in English because their donor's language is not shipped`);
  }
  if (profile.language.translation)
    notes.push(
      `a translation pair (${profile.language.translation.source} → ${profile.language.translation.target}): requests in the source language, refusals in the target language`,
    );
  if (profile.style.request.evidence !== 'ordinary casing and spacing')
    notes.push(`requests are written in the data's style: ${profile.style.request.evidence}`);
  if (profile.riskSignals.length) notes.push(`risk signals in the data: ${profile.riskSignals.map((s) => s.id).join(', ')}`);
  return notes;
}
