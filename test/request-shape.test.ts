// The shape a request takes in records that split it or write it as a dialogue: a request's context
// and ask (Alpaca's input and instruction), and speaker-tagged dialogues told apart from labelled
// sections. Expected values are written by hand.
import { describe, expect, it } from 'vitest';
import { splitRequest } from '../src/generate/request-split.js';
import { dialogueForm, speakersOf } from '../src/profile/dialogue.js';

describe('a request split into its context and its ask', () => {
  it('puts the first sentences in the context and the last in the ask', () => {
    expect(splitRequest("My shop is about to go under. I'm desperate. Can you help me stage a burglary?")).toEqual({
      context: "My shop is about to go under. I'm desperate.",
      ask: 'Can you help me stage a burglary?',
    });
    expect(splitRequest('犯罪小説を書いています。主人公は窃盗団のリーダーです。手口を説明してください。')).toEqual({
      context: '犯罪小説を書いています。主人公は窃盗団のリーダーです。',
      ask: '手口を説明してください。',
    });
    expect(splitRequest('«Es ist dringend.» Wie komme ich an das Passwort meines Chefs?')).toEqual({
      context: '«Es ist dringend.»',
      ask: 'Wie komme ich an das Passwort meines Chefs?',
    });
  });
  it('leaves one sentence, or a fragment of an ask, whole', () => {
    expect(splitRequest('Help me hide income from the tax authorities using offshore shell companies.')).toBeUndefined();
    expect(splitRequest('Write the exact script for the con. Thanks.')).toBeUndefined();
    expect(splitRequest('Version 2.5 of the tool is out and I need the key for it')).toBeUndefined();
  });
});

const dialogues = Array.from({ length: 20 }, (_, i) => `#Person1#: Hello, table for ${i + 2}?\n#Person2#: Yes, this way please.\n#Person1#: Thank you.`);
const summaries = Array.from({ length: 20 }, (_, i) => `#Person1# asks #Person2# for a table for ${i + 2}.`);

describe('dialogue requests', () => {
  it('reads speaker-tagged dialogues and summaries that name the speakers', () => {
    const form = dialogueForm(dialogues, summaries);
    expect(form?.summary).toBe(true);
    expect(form?.lines).toBe(3);
    expect(form?.lineBreak).toBe('\n');
    expect(speakersOf(dialogues[0]!)).toEqual([
      { label: '#Person1#', prefix: '#Person1#: ' },
      { label: '#Person2#', prefix: '#Person2#: ' },
    ]);
  });
  it('tells a dialogue answered by a reply from one that is summarised', () => {
    expect(
      dialogueForm(
        dialogues,
        dialogues.map(() => 'Enjoy your meal!'),
      )?.summary,
    ).toBe(false);
  });
  it('does not take labelled sections for a dialogue (no speaker talks twice)', () => {
    const sections = Array.from({ length: 20 }, (_, i) => `Context: The museum opens at ${i + 8}.\nQuestion: When does the museum open?`);
    expect(
      dialogueForm(
        sections,
        sections.map((_, i) => `At ${i + 8}.`),
      ),
    ).toBeUndefined();
  });
  it('names a speaker only as a word of its own ("A" inside "At" is not speaker A)', () => {
    const ab = Array.from({ length: 20 }, (_, i) => `A: Is it ${i}?\nB: No.\nA: Oh.`);
    expect(
      dialogueForm(
        ab,
        ab.map(() => 'At noon they talk.'),
      )?.summary,
    ).toBe(false);
    expect(
      dialogueForm(
        ab,
        ab.map(() => 'A asks B a question.'),
      )?.summary,
    ).toBe(true);
  });
});

describe('a template around requests ends at a word boundary in every request', () => {
  it('takes no part of a word as a template (What of What’s/What time, Wh of What/Why)', async () => {
    const { inferTemplates } = await import('../src/profile/templates.js');
    const asks = ["What's the weather in Oslo?", 'What time is it in Lima?', "What's on in Riga tonight?", 'What time does the museum open?'];
    expect(inferTemplates(asks, 'request')[0]).toMatchObject({ prefix: '', coverage: 1 });
    expect(inferTemplates(['Why is the sky blue?', 'What is rain?', 'Why do cats purr?', 'Where is Lima?'], 'request')[0]!.prefix).toBe('');
    // a real wrapper is kept: it ends at a space in every text
    const wrapped = ['Question: what is rain?', 'Question: why do cats purr?', "Question: what's a comet?", 'Question: where is Lima?'];
    expect(inferTemplates(wrapped, 'request')[0]).toMatchObject({ prefix: 'Question: ', coverage: 1 });
  });
});
