// The evaluation kit's commands, registered on the program by main.ts: `probes` (prompts in the
// task's format, no answers), `query` (ask a model at an OpenAI-compatible endpoint) and `score`
// (attack success, over-refusal and task accuracy with Wilson intervals; --compare for before/after).
// Thin shells over src/eval: parse options, print the report, write files.
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_STRING_JUDGE, STRING_JUDGES } from '../judge/string-judges.js';
import { SafemixError } from '../errors.js';
import { AtomicFile } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { checkTargets, type ProtectedFile } from '../write/targets.js';
// the eval modules load when an eval command runs, not at every start-up
import { progressReporter } from './progress.js';
import { wholeNumber } from './args.js';

type AddReadOptions = (cmd: Command) => Command;
type ReadOptions = (o: Record<string, unknown>) => Record<string, unknown>;

function seconds(v: string): number {
  const x = Number(v);
  if (!/^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(v) || !(x > 0))
    throw new InvalidArgumentError(`expected a number of seconds > 0, such as 60 (got ${JSON.stringify(v)})`);
  return x;
}

function writeText(path: string, text: string, targets?: { mode: number | undefined; protect: ProtectedFile[]; allowSharedDir: boolean }): void {
  const out = new AtomicFile(path, { makeDirs: true, ...targets });
  try {
    out.write(text);
    out.commit();
  } catch (e) {
    out.abort();
    throw writeError(e, path);
  }
}

export function registerEvalCommands(program: Command, addReadOptions: AddReadOptions, readOptions: ReadOptions): void {
  addReadOptions(
    program
      .command('probes')
      .description(
        "write evaluation prompts (no answers): held-out harmful requests and safe-but-sensitive prompts in the task's format and in plain chat, plus task controls",
      )
      .argument('<file>', 'the task dataset (its structure and language are mimicked)')
      .requiredOption('-o, --output <path>', 'probes file to write (JSONL)')
      .option('--controls <file>', 'your validation split (same format): task controls with their expected answers')
      .option('--max-controls <n>', 'most controls taken', wholeNumber(1), 1000)
      .option('--lang <code>', "probe language (ISO 639-1, shipped) instead of the data's")
      .option('--seed <seed>', 'seed of the sample and the rendering', 'safemix')
      .option('--sample <n>', 'records sampled for the profile', wholeNumber(1), 5000)
      .option('--input <field>', 'fields data: the field that holds the request')
      .option('--target <field>', 'fields data: the field that holds the answer')
      .option('--no-safe', 'leave out the safe-but-sensitive prompts')
      .option('--no-plain', 'leave out the plain-chat forms')
      .option('--quiet', 'no summary on standard error'),
  ).action(async (file: string, o) => {
    checkTargets({
      inputs: [{ path: file, role: 'input' }, ...(o.controls ? [{ path: o.controls as string, role: '--controls file' }] : [])],
      outputs: [{ path: o.output, role: 'probes file', flag: '-o' }],
    });
    const { buildProbes } = await import('../eval/probes.js');
    const r = await buildProbes(file, {
      ...readOptions(o),
      output: o.output,
      controls: o.controls,
      maxControls: o.maxControls,
      lang: o.lang,
      seed: o.seed,
      sample: o.sample,
      input: o.input,
      target: o.target,
      safe: o.safe,
      plain: o.plain,
    });
    if (!o.quiet) {
      const counts = Object.entries(r.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      process.stderr.write(
        `safemix probes: ${file} → ${o.output}\n  probes     ${r.probes.length} (${counts})\n  language   ${r.language}\n${r.notes.map((n) => `  note       ${n}\n`).join('')}`,
      );
    }
  });

  program
    .command('query')
    .description('ask a model at an OpenAI-compatible endpoint every probe; writes {id, output} per line')
    .argument('<probes>', 'probes file written by safemix probes')
    .requiredOption('-o, --output <path>', 'outputs file to write (JSONL)')
    .option('--endpoint <url>', 'API base URL, e.g. http://127.0.0.1:8000/v1 (default OPENAI_BASE_URL, else OpenAI)')
    .requiredOption('--model <name>', 'the model to ask')
    .option('--api-key-env <name>', 'environment variable holding the API key (default OPENAI_API_KEY)')
    .option('--concurrency <n>', 'requests in flight', wholeNumber(1), 4)
    .option('--timeout <seconds>', 'seconds one request may take', seconds, 60)
    .option('--retries <n>', 'retries after 429, 5xx, a timeout or a dropped connection', wholeNumber(0), 4)
    .option('--max-tokens <n>', 'largest answer in tokens', wholeNumber(1), 512)
    .option('--cache <dir>', 'answer cache (default ~/.cache/safemix)')
    .option('--no-cache', 'no answer cache')
    .option('--quiet', 'no summary on standard error')
    .action(async (probes: string, o) => {
      checkTargets({ inputs: [{ path: probes, role: 'probes file' }], outputs: [{ path: o.output, role: 'outputs file', flag: '-o' }] });
      const progress = o.quiet ? undefined : progressReporter();
      const { queryFile } = await import('../eval/query.js');
      const r = await queryFile(probes, {
        endpoint: o.endpoint,
        model: o.model,
        apiKeyEnv: o.apiKeyEnv,
        concurrency: o.concurrency,
        timeoutMs: Math.round(o.timeout * 1000),
        retries: o.retries,
        cache: o.cache === false ? false : o.cache,
        maxTokens: o.maxTokens,
        output: o.output,
        onProgress: progress && ((done, total) => progress.update('query', done, total)),
      });
      progress?.done();
      if (!o.quiet) {
        const s = r.stats;
        process.stderr.write(
          `safemix query: ${probes} → ${o.output}\n  outputs    ${r.outputs.length} (${r.rejected} rejected by the endpoint: output null)\n  requests   ${s.requests} sent, ${s.cacheHits} from the cache, ${s.retries} retries; tokens ${s.tokensIn} in, ${s.tokensOut} out\n` +
            (r.completionAsChat ? `  note       ${r.completionAsChat} completion-format probe(s) were sent as one user turn through chat completions\n` : ''),
        );
      }
    });

  program
    .command('score')
    .description('attack success rate, over-refusal rate and task accuracy with Wilson 95% intervals; or --compare two reports')
    .option('--probes <file>', 'probes file written by safemix probes')
    .option('--outputs <file>', 'outputs file: {id, output} per line')
    .option('--json', 'print the report as JSON (keep it for --compare)')
    .option('--html <file>', 'also write a self-contained HTML page with a bar chart per metric')
    .addOption(
      new Option('--judge <name>', 'the string judge (string-v1: the first, frozen version; docs/judge.md measures both)')
        .choices([...STRING_JUDGES])
        .default(DEFAULT_STRING_JUDGE),
    )
    .option('--judge-endpoint <url>', 'judge with a model at this OpenAI-compatible endpoint (HarmBench classifier prompt) instead of the string judge')
    .option('--judge-model <name>', 'the judge model')
    .option('--judge-api-key-env <name>', "environment variable holding the judge endpoint's API key")
    .option('--compare <reports...>', 'BEFORE.json AFTER.json: the change of every rate, with a two-proportion test')
    .action(async (o) => {
      if (o.compare) {
        if (o.compare.length !== 2)
          throw new SafemixError('usage', '--compare takes two reports: BEFORE.json AFTER.json', { hint: 'write each with safemix score --json > FILE' });
        const { compareFiles, formatComparison } = await import('../eval/compare.js');
        const targets = o.html
          ? checkTargets({
              inputs: o.compare.map((path: string) => ({ path, role: 'score report' })),
              outputs: [{ path: o.html, role: 'page', flag: '--html' }],
            })
          : undefined;
        const c = compareFiles(o.compare[0], o.compare[1]);
        if (o.html) {
          const { comparisonHtml } = await import('../eval/report.js');
          writeText(o.html, comparisonHtml(c), targets?.fileOptions(o.html));
        }
        process.stdout.write(o.json ? JSON.stringify(c, null, 2) + '\n' : formatComparison(c) + '\n');
        return;
      }
      if (!o.probes || !o.outputs)
        throw new SafemixError('usage', 'score needs --probes FILE and --outputs FILE (or --compare BEFORE.json AFTER.json)', {
          hint: 'safemix score --probes probes.jsonl --outputs outputs.jsonl',
        });
      if (!!o.judgeEndpoint !== !!o.judgeModel)
        throw new SafemixError('usage', '--judge-endpoint and --judge-model go together', { hint: 'give both, or neither for the string judge' });
      const { modelJudge } = await import('../eval/judge-model.js');
      const { scoreFiles } = await import('../eval/score.js');
      const { formatScore, scoreHtml } = await import('../eval/report.js');
      const judge = o.judgeModel ? modelJudge({ endpoint: o.judgeEndpoint, model: o.judgeModel, apiKeyEnv: o.judgeApiKeyEnv }) : undefined;
      const targets = o.html
        ? checkTargets({
            inputs: [
              { path: o.probes, role: 'probes file' },
              { path: o.outputs, role: 'outputs file' },
            ],
            outputs: [{ path: o.html, role: 'page', flag: '--html' }],
          })
        : undefined;
      const report = await scoreFiles(o.probes, o.outputs, { judge, stringJudge: o.judge });
      if (o.html) writeText(o.html, scoreHtml(report), targets?.fileOptions(o.html));
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatScore(report) + '\n');
    });
}
