// The three walks over a declaration (override settings, validation with sources, the
// description text), on a tiny made-up declaration: what one node declares, each walk uses.

import type { Param } from '../../sim/hw/param';
import {
  type GroupDecl,
  type Issue,
  NO_SOURCE,
  applyOverrides,
  completed,
  describeDeclared,
  resolveDeclared,
  settingsOf,
  unitAt,
} from './declaration';
import { overrideUnit } from './load';
import { loadPlatform } from '../registry';

interface Board {
  name: string;
  clocks: Record<string, Param>;
  /** `current` may be given as a string, for the type check to refuse. */
  leds: { name: string; clock: string; current: Param<number | string>; colour?: string }[];
}

interface Ctx {
  clocks: readonly string[];
}

const BOARD: GroupDecl<Board, Ctx> = {
  kind: 'group',
  heading: (b) => `Board ${b.name}`,
  indentChildren: false,
  fields: {
    name: { kind: 'field', type: 'string', fixed: true },
    clocks: {
      kind: 'map',
      title: () => 'Clocks',
      entry: { kind: 'param', type: 'number', check: (hz) => (hz > 0 ? undefined : `must be positive, got ${hz}`), unit: 'hz', show: { label: (k) => k } },
    },
    leds: {
      kind: 'list',
      title: () => 'LEDs',
      keys: { byName: 'LED' },
      item: {
        kind: 'group',
        heading: (l) => `${l.name} (${l.colour}) on ${l.clock}`,
        fields: {
          name: { kind: 'field', type: 'string', isKey: true },
          clock: { kind: 'field', type: 'string', check: (c, ctx) => (ctx.clocks.includes(String(c)) ? undefined : `no clock ${String(c)}`) },
          current: { kind: 'param', type: 'number', show: { label: 'current', format: (mA) => `${mA} mA` } },
          colour: { kind: 'field', type: 'string', default: 'red' },
        },
      },
    },
  },
};

const board = (): Board => ({
  name: 'demo',
  clocks: { main: { value: 8, source: 'crystal' } },
  leds: [
    { name: 'd1', clock: 'main', current: { value: 5, source: 'data sheet' } },
    { name: 'd2', clock: 'main', current: { value: 2, source: 'data sheet' }, colour: 'green' },
  ],
});

function resolve(b: Board): { issues: Issue[]; sources: Record<string, string>; value: unknown } {
  const issues: Issue[] = [];
  const sources: Record<string, string> = {};
  const draft = resolveDeclared(BOARD, b, { clocks: Object.keys(b.clocks) }, issues, sources);
  return { issues, sources, value: issues.length === 0 ? completed(BOARD, draft) : draft };
}

test('settings: one per param and plain field, in declaration order, keyed by item name; keys and fixed fields are not settings', () => {
  expect(settingsOf(BOARD, board()).map((s) => `${s.path}:${s.type}`)).toEqual([
    'clocks.main:number',
    'leds.d1.clock:string',
    'leds.d1.current:number',
    'leds.d1.colour:string',
    'leds.d2.clock:string',
    'leds.d2.current:number',
    'leds.d2.colour:string',
  ]);
});

test('units: found from the path shape (any map key, any item name); none for a parameter without one or a path that names no parameter', () => {
  expect([unitAt(BOARD, 'clocks.main'), unitAt(BOARD, 'clocks.other'), unitAt(BOARD, 'leds.d9.current'), unitAt(BOARD, 'leds.d1.clock')]).toEqual([
    'hz',
    'hz',
    undefined,
    undefined,
  ]);
  expect([unitAt(BOARD, 'clocks'), unitAt(BOARD, 'clocks.main.x'), unitAt(BOARD, 'nothing'), unitAt(BOARD, 'leds.d1')]).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

test('the platform declares its units once: Hz for clocks, bytes for sizes and the beat width, none for addresses and counts', () => {
  const paths = [
    'clocks.cm4',
    'memories.ocram.size',
    'memories.ocram.dataWidthBytes',
    'cores.cm7.addressMap.mailbox.size',
    'rpmsg.sharedMemorySize',
    'cores.cm7.addressMap.mailbox.base',
    'rpmsg.sharedMemoryBase',
    'memories.ocram.readWaitStates',
    'mailbox.crossingCycles',
  ];
  expect(paths.map((p) => `${p}: ${overrideUnit(p) ?? '-'}`)).toEqual([
    'clocks.cm4: hz',
    'memories.ocram.size: bytes',
    'memories.ocram.dataWidthBytes: bytes',
    'cores.cm7.addressMap.mailbox.size: bytes',
    'rpmsg.sharedMemorySize: bytes',
    'cores.cm7.addressMap.mailbox.base: -',
    'rpmsg.sharedMemoryBase: -',
    'memories.ocram.readWaitStates: -',
    'mailbox.crossingCycles: -',
  ]);
});

test('overrides write the description and leave notes; a bad path suggests the nearest ones', () => {
  const b = board();
  const issues: Issue[] = [];
  const notes = applyOverrides(settingsOf(BOARD, b), { 'leds.d1.current': 7, 'leds.d1.colour': 'blue', 'leds.d3.current': 1 }, issues);
  expect(b.leds[0]).toEqual({ name: 'd1', clock: 'main', current: { value: 7, source: 'override (the platform says 5: data sheet)' }, colour: 'blue' });
  expect([...notes]).toEqual([
    ['leds.d1.current', 'override (the platform says 5: data sheet)'],
    ['leds.d1.colour', 'override (the platform says "red")'],
  ]);
  expect(issues).toEqual([
    { path: 'leds.d3.current', message: 'no such setting; nearest valid paths: leds.d1.current, leds.d2.current, leds.d1.clock' },
  ]);
});

test('validation: plain values with defaults filled in, every source by path', () => {
  const { issues, sources, value } = resolve(board());
  expect(issues).toEqual([]);
  expect(value).toEqual({
    name: 'demo',
    clocks: { main: 8 },
    leds: [
      { name: 'd1', clock: 'main', current: 5, colour: 'red' },
      { name: 'd2', clock: 'main', current: 2, colour: 'green' },
    ],
  });
  expect(sources).toEqual({ 'clocks.main': 'crystal', 'leds.d1.current': 'data sheet', 'leds.d2.current': 'data sheet' });
});

test('validation: each problem at its path; a failed value is left out of the draft', () => {
  const b = board();
  b.clocks.main = { value: -1, source: '' };
  b.leds[1]!.name = '';
  b.leds[1]!.clock = 'rtc';
  b.leds[0]!.current = { value: 'lots', source: 'x' };
  const { issues, value } = resolve(b);
  expect(issues).toEqual([
    { path: 'clocks.main', message: NO_SOURCE },
    { path: 'clocks.main', message: 'must be positive, got -1' },
    { path: 'leds.d1.current', message: 'expected a number, got the string "lots"' },
    { path: 'leds.#2', message: 'a LED needs a name' },
    { path: 'leds.#2.clock', message: 'no clock rtc' },
  ]);
  expect(value).toEqual({
    name: 'demo',
    clocks: { main: undefined },
    leds: [
      { name: 'd1', clock: 'main', current: undefined, colour: 'red' },
      { name: '', clock: undefined, current: 2, colour: 'green' },
    ],
  });
});

test('completed refuses a draft with a value missing (a resolution that forgot to report a problem)', () => {
  const issues: Issue[] = [];
  const b = board();
  b.leds[0]!.current = { value: 'lots', source: 'x' };
  const draft = resolveDeclared(BOARD, b, { clocks: ['main'] }, issues, {});
  expect(() => completed(BOARD, draft)).toThrow('platform resolution left leds.#1.current empty without reporting it');
});

test('the description text: sections, headings, labelled values and their source lines', () => {
  const { sources, value } = resolve(board());
  const resolved = completed(BOARD, resolveDeclared(BOARD, board(), { clocks: ['main'] }, [], {}));
  expect(value).toEqual(resolved);
  expect(describeDeclared(BOARD, resolved, sources).split('\n')).toEqual([
    'Board demo',
    '',
    'Clocks',
    '  main = 8',
    '      clocks.main: crystal',
    '',
    'LEDs',
    '  d1 (red) on main',
    '    current = 5 mA',
    '        leds.d1.current: data sheet',
    '  d2 (green) on main',
    '    current = 2 mA',
    '        leds.d2.current: data sheet',
    '',
  ]);
});

test('a priority-bit count that fails its own check is not used to judge the priorities', () => {
  expect(() => loadPlatform('imxrt1170', { 'cores.cm4.nvic.priorityBits': 1.5 })).toThrow(
    /^platform imxrt1170: cores\.cm4\.nvic\.priorityBits: must be a whole number from 1 to 8, got 1\.5$/,
  );
});

test('interrupt lines: at most the 496 of an NVIC (2^32 lines made arrays Node cannot hold: exit 70)', () => {
  expect(() => loadPlatform('imxrt1170', { 'cores.cm4.nvic.lines': 496 })).not.toThrow();
  expect(() => loadPlatform('imxrt1170', { 'cores.cm4.nvic.lines': 497 })).toThrow(/^platform imxrt1170: cores\.cm4\.nvic\.lines: must be a whole number from 1 to 496, got 497$/);
  expect(() => loadPlatform('imxrt1170', { 'cores.cm7.nvic.lines': 4294967296 })).toThrow(
    /^platform imxrt1170: cores\.cm7\.nvic\.lines: must be a whole number from 1 to 496, got 4294967296$/,
  );
});

test('a memory is at most the 4 GiB of the 32-bit address space (2^53 bytes made an array Node cannot hold: exit 70)', () => {
  expect(() => loadPlatform('imxrt1170', { 'memories.ocram.size': 2 ** 53 - 1 })).toThrow(
    /^platform imxrt1170: memories\.ocram\.size: must be a whole number of bytes from 1 to 4 GiB \(the 32-bit address space\), got 9007199254740991$/,
  );
});

test("a region's line store: 2^32 passes no power-of-two check by 32-bit arithmetic, and holds no more than its region", () => {
  expect(() => loadPlatform('lpc55s69', { 'cores.core0.regions.flash.lines': 4294967296 })).toThrow(
    /^platform lpc55s69: cores\.core0\.regions\.flash\.lines: 4294967296 lines of 16 bytes hold more than the region's 655360 bytes$/,
  );
  expect(() => loadPlatform('lpc55s69', { 'cores.core0.regions.flash.lines': 4294967295 })).toThrow(/cores\.core0\.regions\.flash\.lines: must be a power of two of at least the \d+ ways, got 4294967295/);
});
