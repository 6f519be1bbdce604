import { closestWords, didYouMean, editDistance } from './did-you-mean';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['stop', 'tops', 2],
    ['same', 'same', 0],
  ])('%j to %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['environment', 'app', 'params', 'steps', 'module', 'export'];

  test('spelling variants are the same word: camelCase, snake_case, case', () => {
    expect(didYouMean('payloadSize', ['count', 'payload-size'])).toBe('payload-size');
    expect(didYouMean('payload_size', ['count', 'payload-size'])).toBe('payload-size');
    expect(didYouMean('PAYLOAD-SIZE', ['count', 'payload-size'])).toBe('payload-size');
    expect(didYouMean('readWaitStates', ['read-wait-states', 'write-wait-states'])).toBe('read-wait-states');
  });

  test('a typo within the distance allowed for its length', () => {
    expect(didYouMean('enviroment', keys)).toBe('environment'); // 1 deletion
    expect(didYouMean('modul', keys)).toBe('module');
    expect(didYouMean('stpes', keys)).toBe('steps'); // a swap is 2 edits, allowed up to 8 letters
    expect(didYouMean('ap', keys)).toBe('app'); // 1 edit, allowed for 3 letters or fewer
  });

  test('beyond the allowed distance there is no suggestion', () => {
    expect(didYouMean('ab', ['abcd'])).toBeUndefined(); // 2 edits for a 2-letter word (1 allowed)
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('xyzzy', ['init', 'send'])).toBeUndefined();
    expect(didYouMean('abcdefghi', ['abcdwxyzi'])).toBeUndefined(); // 4 edits, 3 allowed beyond 8 letters
    expect(didYouMean('abcdefghi', ['abcdexyzi'])).toBe('abcdexyzi'); // 3 edits
  });

  test('containment: the one candidate that contains the word, or that the word contains', () => {
    expect(didYouMean('payload-size', ['buffer-count', 'buffer-payload-size'])).toBe('buffer-payload-size');
    expect(didYouMean('buffer-payload-size-bytes', ['buffer-count', 'buffer-payload-size'])).toBe('buffer-payload-size');
    // Two candidates contain it: no single answer from containment, and both are too far.
    expect(didYouMean('size', ['payload-size', 'vring-size'])).toBeUndefined();
    // Containment needs 4 letters: "ns" is in both, but it is the edit distance that decides.
    expect(didYouMean('ns', ['ns-bind', 'ns-announce'])).toBeUndefined();
  });

  test('ties keep the candidates’ order; no candidates, no suggestion', () => {
    expect(didYouMean('cat', ['bat', 'hat'])).toBe('bat');
    expect(didYouMean('cat', ['hat', 'bat'])).toBe('hat');
    expect(didYouMean('anything', [])).toBeUndefined();
  });
});

describe('closestWords', () => {
  const paths = ['clocks.cm7', 'clocks.cm4', 'memories.ocram.size', 'interconnect.arbitration'];

  test('the closest first, as many as asked for', () => {
    expect(closestWords('clocks.cm5', paths, 2)).toEqual(['clocks.cm7', 'clocks.cm4']);
    expect(closestWords('memories.ocram.sise', paths, 1)).toEqual(['memories.ocram.size']);
    expect(closestWords('clocks.cm4', paths, 10)).toEqual(['clocks.cm4', 'clocks.cm7', 'memories.ocram.size', 'interconnect.arbitration']);
  });

  test('ties keep the candidates’ order; spelling variants are distance 0', () => {
    expect(closestWords('cat', ['hat', 'bat', 'cap'], 3)).toEqual(['hat', 'bat', 'cap']);
    expect(closestWords('memoriesOcram', ['memories-ocram-size', 'memories_ocram'], 2)).toEqual(['memories_ocram', 'memories-ocram-size']);
  });

  test('no candidates or a count of 0 give an empty list', () => {
    expect(closestWords('x', [], 3)).toEqual([]);
    expect(closestWords('x', ['y'], 0)).toEqual([]);
  });
});
