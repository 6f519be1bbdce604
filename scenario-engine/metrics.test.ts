// ByMessage: values by message number for messages in flight, without a Map's churn.
import { ByMessage } from './metrics';

test('get, set, delete by message number; a number set again replaces its value', () => {
  const t = new ByMessage<string>();
  t.set(5, 'five');
  t.set(5, 'FIVE');
  expect([t.get(5), t.get(6)]).toEqual(['FIVE', undefined]);
  t.delete(5);
  t.delete(7); // absent: nothing happens
  expect(t.get(5)).toBeUndefined();
});

test('two live numbers on one slot (0 and 64 of a 64-slot table) grow the table; both stay', () => {
  const t = new ByMessage<number>();
  t.set(0, 100);
  t.set(64, 164);
  t.set(128, 228); // 0, 64 and 128 share the low 6 bits and the low 7 bits of 0 and 128: grows to 256
  expect([t.get(0), t.get(64), t.get(128)]).toEqual([100, 164, 228]);
  // A number whose slot holds another live number is not mistaken for it.
  expect(t.get(256)).toBeUndefined();
});

test('a long run of messages, each delivered before the next four are sent: values never cross', () => {
  const t = new ByMessage<number>();
  for (let m = 0; m < 100_000; m++) {
    t.set(m, m * 3);
    if (m >= 4) {
      expect(t.get(m - 4)).toBe((m - 4) * 3);
      t.delete(m - 4);
    }
  }
  expect(t.get(99_999)).toBe(299_997);
  expect(t.get(99_995)).toBeUndefined();
});
