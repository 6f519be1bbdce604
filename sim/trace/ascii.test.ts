import { MAX_INTEGER_BYTES, STORE_SLACK, UNUSUAL_VALUE, pack, put, putInteger, unpack } from './ascii';

/** A block with a canary byte (0xee) everywhere, and what putInteger wrote at offset 3. */
function integerText(v: unknown): { text: string; end: number; after: number[] } {
  const u = new Uint8Array(40).fill(0xee);
  const dv = new DataView(u.buffer);
  const end = putInteger(u, dv, 3, v);
  return { text: Buffer.from(u.subarray(3, end)).toString('latin1'), end, after: [...u.subarray(end, end + 4)] };
}

test.each([
  // value, digits as String() writes them (hand-checked)
  [0, '0'],
  [7, '7'],
  [10, '10'],
  [99, '99'],
  [100, '100'],
  [-1, '-1'],
  [-16, '-16'], // THREAD_MODE_IRQN
  [539754610, '539754610'], // an RT1170 OCRAM address (0x202c0072)
  [2 ** 32 - 1, '4294967295'], // the last value of the 32-bit path
  [2 ** 32, '4294967296'], // the first of the wide path: 42 | 94967296
  [-(2 ** 32), '-4294967296'],
  [99_999_999, '99999999'],
  [100_000_000, '100000000'],
  [430_000_000_005, '430000000005'], // 4300 | 00000005: the low part's leading zeros are written
  [124_501_993_000_000, '124501993000000'], // 125 s at 996 GHz, about the end of the 10^6 flood
  [2 ** 53 - 1, '9007199254740991'],
  [-(2 ** 53 - 1), '-9007199254740991'], // the widest: MAX_INTEGER_BYTES
])('putInteger(%p) writes "%s" and returns the position after it', (v, digits) => {
  const { text, end, after } = integerText(v);
  expect(text).toBe(digits);
  expect(end).toBe(3 + digits.length);
  expect(after).toEqual([0xee, 0xee, 0xee, 0xee]); // nothing past the digits
});

test('putInteger agrees with String() around every power of ten and of two up to 2^53', () => {
  const values: number[] = [];
  for (let e = 0; e <= 15; e++) for (const d of [-1, 0, 1]) values.push(10 ** e + d, -(10 ** e + d));
  for (let e = 0; e <= 53; e++) for (const d of [-1, 0, 1]) values.push(2 ** e + d);
  // multiples of 10^8 minus one: where a rounded division by 10^8 would be off by one
  for (let k = 1; k <= 90_071_992; k = k * 3 + 1) values.push(k * 1e8 - 1, k * 1e8);
  const safe = values.filter((v) => Number.isSafeInteger(v));
  expect(safe.length).toBeGreaterThan(250);
  for (const v of safe) expect([v, integerText(v).text]).toEqual([v, String(v)]);
  expect(integerText(-(2 ** 53 - 1)).text.length).toBe(MAX_INTEGER_BYTES);
});

test.each([[1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53], ['5'], [undefined], [true], [null]])(
  'putInteger(%p) throws UNUSUAL_VALUE and writes nothing',
  (v) => {
    const u = new Uint8Array(40).fill(0xee);
    let thrown: unknown = null;
    try {
      putInteger(u, new DataView(u.buffer), 3, v);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(UNUSUAL_VALUE);
    expect(u.every((b) => b === 0xee)).toBe(true);
  },
);

test('packed text: its bytes, its UTF-8 length, and at most STORE_SLACK bytes of filler past it', () => {
  const p = pack(',"kind":"bus"'); // 13 bytes: 4 words, then the length
  expect(p.length).toBe(5);
  expect(p[4]).toBe(13);
  expect(unpack(p)).toBe(',"kind":"bus"');
  expect(pack('µs')[1]).toBe(3); // "µ" is 2 bytes in UTF-8
  const u = new Uint8Array(32).fill(0xee);
  const end = put(new DataView(u.buffer), 5, p);
  expect(end).toBe(18);
  expect(Buffer.from(u.subarray(5, 18)).toString('latin1')).toBe(',"kind":"bus"');
  // 4 words are 16 bytes: 3 bytes of filler after the 13, then the block is untouched
  expect(u[18 + STORE_SLACK]).toBe(0xee);
  expect(put(new DataView(u.buffer), 0, pack(''))).toBe(0);
});
