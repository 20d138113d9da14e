// The word order reversed (src/encoding/recognize-word-order.ts), on sentences written here: English
// word pairs that run one way ("of the") read backwards in a turned text, a turned text opens with a
// sentence's last word and closes on its first, and a record holding a text beside its reversal is a pair.
import { describe, expect, it } from 'vitest';
import { endsTurned, findWordOrderPair, findWordOrderReversal, orderedPairs } from '../../src/encoding/recognize-word-order.js';

const PLAIN = 'Most of the people in the village walked to the market on a sunny morning, and some of them stayed there until the evening.';
const turn = (t: string) => t.split(' ').reverse().join(' ');

describe('word order reversed', () => {
  it('pairs English writes one way run backwards in the turned text', () => {
    // "of the", "in the", "to the" ("on a", "of them", "until the" are not on the list)
    expect(orderedPairs(PLAIN)).toEqual({ forward: 3, backward: 0 });
    expect(orderedPairs(turn(PLAIN))).toEqual({ forward: 0, backward: 3 });
  });

  it('a turned text opens with a sentence’s last word and closes on its first; a plain one does not', () => {
    expect(endsTurned(turn(PLAIN))).toBe(true);
    expect(endsTurned(PLAIN)).toBe(false);
  });

  it('reads a turned text back exactly, and leaves the plain one alone', () => {
    const found = findWordOrderReversal(turn(PLAIN));
    expect(found?.decoded).toBe(PLAIN);
    expect(found?.scheme).toEqual({ family: 'reversed', variant: 'word-order' });
    expect(findWordOrderReversal(PLAIN)).toBeUndefined();
  });

  it('a text beside the same words reversed, after an instruction of its own, is a pair', () => {
    const pair = findWordOrderPair([`Decode this message:\n${turn(PLAIN)}`, `${PLAIN}\n\nThat is all it says.`]);
    expect(pair?.textIndex).toBe(0);
    expect(pair?.detection.decoded).toBe(PLAIN);
    expect(findWordOrderPair([PLAIN, 'A different answer about the weather in the hills today.'])).toBeUndefined();
  });
});
