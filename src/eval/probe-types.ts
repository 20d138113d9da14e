// The files of the evaluation kit, checked with zod: a probe (one prompt, no answer) as `safemix
// probes` writes it, one line of OUTPUTS.jsonl (`{id, output}`) as `safemix query` or the user's own
// harness writes it, and the shipped safe-but-sensitive prompt set.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SafemixError } from '../errors.js';

const ProbeMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });
export type ProbeMessage = z.infer<typeof ProbeMessageSchema>;

export const ProbeSchema = z.object({
  id: z.string().min(1),
  /** harmful: a held-out seed request; safe: a safe prompt that sounds unsafe; control: a task record with a known answer. */
  kind: z.enum(['harmful', 'safe', 'control']),
  category: z.string(),
  /** ISO 639-1 code of the prompt's language. */
  language: z.string(),
  /** task: in the dataset's own request structure; plain: a bare chat turn. */
  format: z.enum(['task', 'plain']),
  /** chat: send `messages` to chat completions; completion: send `prompt` to completions. */
  mode: z.enum(['chat', 'completion']),
  messages: z.array(ProbeMessageSchema).optional(),
  prompt: z.string().optional(),
  /** Fields data: the input fields the prompt was built from. */
  fields: z.record(z.string(), z.unknown()).optional(),
  /** The bare request (the behaviour a judge model is asked about). */
  request: z.string(),
  seedId: z.string().optional(),
  /**
   * A task probe that is the very prompt its plain twin would be (the task asks as a bare chat turn):
   * no plain twin is written, and this probe stands for both, counted once.
   */
  alsoPlain: z.boolean().optional(),
  /** Controls: the expected label, letter or number. */
  expected: z.string().optional(),
});
export type Probe = z.infer<typeof ProbeSchema>;

export const OutputSchema = z.object({ id: z.string().min(1), output: z.string().nullable(), error: z.string().optional() });
export type Output = z.infer<typeof OutputSchema>;

export const SafePromptSchema = z.object({ id: z.string(), category: z.string(), lang: z.string(), prompt: z.string().min(1) });
export type SafePrompt = z.infer<typeof SafePromptSchema>;

/** Reads a JSONL file of one schema, naming the file and line of the first bad line. */
export function readJsonl<T>(path: string, schema: z.ZodType<T>, what: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read the ${what} file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
      position: { file: path },
      hint: 'check the path',
    });
  }
  const out: T[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new SafemixError('schema', `line ${i + 1} is not JSON`, {
        position: { file: path, line: i + 1 },
        hint: `each line of a ${what} file is one JSON object`,
      });
    }
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new SafemixError('schema', `${issue.path.join('.') || 'record'}: ${issue.message}`, {
        position: { file: path, line: i + 1, field: issue.path.join('.') || undefined },
        hint: `see the ${what} format in the README`,
      });
    }
    out.push(r.data);
  });
  return out;
}
