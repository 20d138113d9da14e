// safemix's library API: what the CLI calls, for providers who import it. Data flows
// read → profile → generate → blend → write; each stage is importable on its own.
export { SafemixError, ExitCode, formatPosition, isSafemixError, type ErrorCode, type ErrorPosition } from './errors.js';
export { DatasetReader, openInput, type OpenedInput } from './read/reader.js';
export { classifyInput, type InputKind } from './read/input-kind.js';
export { MAX_NESTING } from './read/record-checks.js';
export type { Container, CsvShape, Layout, ReadOptions, SourceRecord, RecordIssue } from './read/types.js';
export { DIALECTS, detectDialect, classifyRecord, dialectSchemas, type Dialect, type DialectDetection } from './profile/dialects.js';
export { validateRecord, type ValidationIssue } from './profile/validate-record.js';
export { countRecordTokens, TOKEN_LIMIT } from './profile/tokens.js';
export { inferJsonStyle, stringifyStyled, type JsonStyle } from './write/json-style.js';
export { inferCsvStyle, formatCsvRow, type CsvStyle } from './write/csv-style.js';
export { AtomicFile, commitTogether, removeStaleTemps } from './write/atomic-file.js';
export { StdoutSink } from './write/stdout-sink.js';
export { injectedCount, MAX_INJECTED_PER_USER, BlendPlan, type BlendOrder } from './blend/plan.js';
export { RecordSink } from './write/record-sink.js';
export { openScan, type ScanOptions } from './api/scan.js';
export { validateFile, type ValidateOptions } from './api/validate.js';
export { inspectFile, type InspectOptions, type InspectResult } from './api/inspect.js';
export { mixFile, mixRecords, type MixOptions, type MixResult } from './api/mix.js';
export { mixFiles } from './shard/mix-files.js';
export { writeReport, type ReportOptions } from './api/report.js';
export { reportPage, type ReportData, type ReportRecord } from './report/page.js';
// the paraphrase engine (`mix --engine paraphrase`) and the OpenAI-compatible endpoint client it and `query` use
export { runParaphrase, buildPrompt, judgeAnswer, type ParaphraseOptions, type ParaphraseRun } from './engine/paraphrase.js';
export {
  EndpointClient,
  defaultCacheDir,
  displayEndpoint,
  resolveEndpoint,
  type ChatMessage,
  type ChatParameters,
  type ChatAnswer,
  type EndpointOptions,
  type EndpointStats,
} from './engine/endpoint-client.js';
export { ParaphraseReportSchema, type ParaphraseReport } from './schemas/manifest.js';
export { copyDataset } from './api/copy.js';
// flat memory over a long run (the CLI starts it; a host process decides for itself)
export { startGcPacer } from './gc-pacer.js';
export { ValidationReportSchema, type ValidationReport, type ValidationError } from './schemas/validation-report.js';
export { InspectReportSchema, type InspectReport } from './schemas/inspect-report.js';
export { ManifestSchema, type Manifest } from './schemas/manifest.js';
export { jsonSchemas } from './api/json-schemas.js';
export { splitInjected } from './blend/plan.js';
export { planShards, loadPlan, uploadHash, type PlanOptions, type PlanResult } from './shard/plan.js';
export { mixShard, type MixShardOptions, type MixShardResult } from './shard/mix-shard.js';
export { mergeManifests, type MergeOptions, type MergeResult } from './shard/merge.js';
export { PlanSchema, type Plan } from './schemas/plan.js';
export { ShardManifestSchema, MergedManifestSchema, type ShardManifest, type MergedManifest } from './schemas/shard-manifest.js';
// queue workers (BullMQ on Redis): the `safemix/queue` entry (src/queue/index.ts), whose packages are optional
// the evaluation kit: probes, query, score (and the string refusal judge)
export { buildProbes, loadSafePrompts, heldoutSeeds, type ProbesOptions, type ProbesResult } from './eval/probes.js';
export { queryFile, queryProbes, probeMessages, type QueryOptions, type QueryResult } from './eval/query.js';
export { scoreFiles, scoreProbes, matchesExpected, type ScoreOptions, type ScoreReport, type Metric, type ModelJudge } from './eval/score.js';
export { compareFiles, compareReports, formatComparison, type Comparison } from './eval/compare.js';
export { formatScore, scoreHtml } from './eval/report.js';
export { modelJudge, HARMBENCH_PROMPT, COMPLIANCE_PROMPT } from './eval/judge-model.js';
export { wilson, compareProportions, type Proportion, type Difference } from './eval/stats.js';
export { ProbeSchema, OutputSchema, type Probe, type Output } from './eval/probe-types.js';
export { judgeResponse, refused, JUDGE_VERSION, type Verdict, type Judgement } from './judge/refusal-judge.js';
export { judgeResponseV2, JUDGE_V2_VERSION } from './judge/refusal-judge-v2.js';
export { stringJudge, STRING_JUDGES, DEFAULT_STRING_JUDGE, type StringJudgeName } from './judge/string-judges.js';
