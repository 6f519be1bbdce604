// The GPIO models against the register behaviour of the SDK headers and drivers: offsets,
// what each write does to the latch and the direction, which level a pin is driven at, and
// one 'gpio' record per pin whose driven level changes (none for writes that change nothing).

import { Kernel } from '../kernel';
import { IGPIO_REG, LPC_GPIO_REG } from './gpio';
import { GPIO_KINDS, GPIO_MODELS } from './gpios';
import type { Peripheral } from './peripheral';
import { MemorySink, Tracer } from '../trace/trace';

function traced(kind: keyof typeof GPIO_MODELS) {
  const kernel = new Kernel({ tickHz: 1e9 });
  const tracer = new Tracer(kernel);
  const sink = new MemorySink();
  tracer.addSink(sink);
  const block = GPIO_MODELS[kind].build('gpio');
  block.tracer = tracer;
  const changes = () => sink.records.map((r) => (r.kind === 'gpio' ? `${r.port}.${r.pin}=${r.level ? 1 : 0}` : r.kind));
  return { block, changes };
}

function read(p: Peripheral, offset: number, size: 1 | 2 | 4 = 4): number {
  const v = p.read(offset, size);
  if (typeof v !== 'number') throw new Error(`unexpected fault: ${v.fault}`);
  return v;
}

function write(p: Peripheral, offset: number, value: number, size: 1 | 2 | 4 = 4): void {
  const fault = p.write(offset, value, size);
  if (fault !== undefined) throw new Error(`unexpected fault: ${fault.fault}`);
}

test('offsets: i.MX GPIO_Type (DR..EDGE_SEL, DR_SET 0x84, DR_CLEAR 0x88, DR_TOGGLE 0x8C) and the LPC GPIO arrays', () => {
  expect(Object.values(IGPIO_REG)).toEqual([0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x84, 0x88, 0x8c]);
  // B: port step 0x20; W: 0x1000 + port step 0x80, 4 per pin; word arrays 4 per port
  expect([LPC_GPIO_REG.B(1, 7), LPC_GPIO_REG.W(1, 7), LPC_GPIO_REG.DIR(1), LPC_GPIO_REG.MASK(0), LPC_GPIO_REG.PIN(1), LPC_GPIO_REG.MPIN(0)]).toEqual([
    0x27, 0x109c, 0x2004, 0x2080, 0x2104, 0x2180,
  ]);
  expect([LPC_GPIO_REG.SET(1), LPC_GPIO_REG.CLR(1), LPC_GPIO_REG.NOT(1), LPC_GPIO_REG.DIRSET(0), LPC_GPIO_REG.DIRCLR(0), LPC_GPIO_REG.DIRNOT(1)]).toEqual([
    0x2204, 0x2284, 0x2304, 0x2380, 0x2400, 0x2484,
  ]);
  expect(GPIO_KINDS).toEqual(['imxrt-gpio', 'imx8m-gpio', 'lpc-gpio']);
  expect(GPIO_KINDS.map((k) => [k, GPIO_MODELS[k].windowSize, GPIO_MODELS[k].ports])).toEqual([
    ['imxrt-gpio', 0x90, 1],
    ['imx8m-gpio', 0x20, 1],
    ['lpc-gpio', 0x2488, 2], // DIRNOT[1] at 0x2484 is the last word
  ]);
});

describe('i.MX RT GPIO', () => {
  test('DR_SET / DR_CLEAR / DR_TOGGLE change DR; an output pin follows DR, PSR reads the pads', () => {
    const { block, changes } = traced('imxrt-gpio');
    write(block, IGPIO_REG.GDIR, 0x18); // pins 3 and 4 outputs
    expect(changes()).toEqual([]); // DR is 0: nothing driven changes
    write(block, IGPIO_REG.DR_SET, 0x08);
    expect(block.level(0, 3)).toBe(true);
    write(block, IGPIO_REG.DR_SET, 0x08); // already set: no record
    write(block, IGPIO_REG.DR_TOGGLE, 0x18); // 3 falls, 4 rises
    write(block, IGPIO_REG.DR_CLEAR, 0x10);
    expect(changes()).toEqual(['0.3=1', '0.3=0', '0.4=1', '0.4=0']);
    write(block, IGPIO_REG.DR, 0x0000_0109); // pins 0, 3, 8 in the latch; only 3 is an output
    expect([read(block, IGPIO_REG.DR), read(block, IGPIO_REG.PSR), read(block, IGPIO_REG.GDIR)]).toEqual([0x109, 0x8, 0x18]);
    expect(changes().slice(4)).toEqual(['0.3=1']);
    // set/clear/toggle are write-only (read 0); interrupt configuration is stored
    write(block, IGPIO_REG.ICR1, 0xc0);
    expect([read(block, IGPIO_REG.DR_SET), read(block, IGPIO_REG.ICR1)]).toEqual([0, 0xc0]);
  });

  test('a direction change drives the latch out, or lets the pin go (shown low)', () => {
    const { block, changes } = traced('imxrt-gpio');
    write(block, IGPIO_REG.DR, 0x1);
    write(block, IGPIO_REG.GDIR, 0x1);
    write(block, IGPIO_REG.GDIR, 0x0);
    expect(changes()).toEqual(['0.0=1', '0.0=0']);
  });

  test('accesses: 32-bit, inside 0x90 bytes', () => {
    const block = GPIO_MODELS['imxrt-gpio'].build('gpio9');
    expect(block.write(IGPIO_REG.DR_SET, 1, 1)).toEqual({ fault: 'gpio9: registers are 32-bit; a 1-byte access is refused' });
    expect(block.read(0x90, 4)).toEqual({ fault: 'gpio9: offset 0x90 is outside the register window (0x90 bytes)' });
  });
});

describe('i.MX 8M GPIO', () => {
  test('no set/clear registers: the window ends at EDGE_SEL; DR is written whole', () => {
    const { block, changes } = traced('imx8m-gpio');
    block.configureOutput(0, 8, false);
    expect(changes()).toEqual([]); // board set-up makes no record
    write(block, IGPIO_REG.DR, read(block, IGPIO_REG.DR) | 0x100);
    write(block, IGPIO_REG.DR, read(block, IGPIO_REG.DR) & ~0x100);
    expect(changes()).toEqual(['0.8=1', '0.8=0']);
    expect(block.write(IGPIO_REG.DR_SET, 0x100, 4)).toEqual({ fault: 'gpio: offset 0x84 is outside the register window (0x20 bytes)' });
  });
});

describe('LPC GPIO', () => {
  test('SET/CLR/NOT per port, PIN and SET reads, the byte and word pin registers', () => {
    const { block, changes } = traced('lpc-gpio');
    write(block, LPC_GPIO_REG.DIRSET(1), 0x90); // PIO1_4 and PIO1_7 outputs
    write(block, LPC_GPIO_REG.SET(1), 0x80);
    write(block, LPC_GPIO_REG.NOT(1), 0x90); // 7 falls, 4 rises
    write(block, LPC_GPIO_REG.CLR(1), 0x10);
    expect(changes()).toEqual(['1.7=1', '1.4=1', '1.7=0', '1.4=0']);
    write(block, LPC_GPIO_REG.B(1, 7), 5); // any non-zero byte sets the latch bit
    expect([read(block, LPC_GPIO_REG.B(1, 7), 1), read(block, LPC_GPIO_REG.W(1, 7)), read(block, LPC_GPIO_REG.PIN(1)), read(block, LPC_GPIO_REG.SET(1))]).toEqual([
      1, 0xffffffff, 0x80, 0x80,
    ]);
    write(block, LPC_GPIO_REG.W(1, 7), 0);
    expect(read(block, LPC_GPIO_REG.PIN(1))).toBe(0);
    // port 0 is untouched; CLR and NOT read 0
    expect([read(block, LPC_GPIO_REG.PIN(0)), read(block, LPC_GPIO_REG.CLR(1))]).toEqual([0, 0]);
  });

  test('MASK: MPIN reads and writes only the unmasked bits', () => {
    const { block } = traced('lpc-gpio');
    write(block, LPC_GPIO_REG.DIR(0), 0xff);
    write(block, LPC_GPIO_REG.PIN(0), 0x0f);
    write(block, LPC_GPIO_REG.MASK(0), 0x03); // bits 0 and 1 masked
    expect(read(block, LPC_GPIO_REG.MPIN(0))).toBe(0x0c);
    write(block, LPC_GPIO_REG.MPIN(0), 0xf0); // bits 0, 1 kept; 2..7 become 0,0,1,1,1,1
    expect(read(block, LPC_GPIO_REG.PIN(0))).toBe(0xf3);
  });

  test('DIRCLR lets a pin go; DIRNOT toggles the direction', () => {
    const { block, changes } = traced('lpc-gpio');
    write(block, LPC_GPIO_REG.SET(0), 0x20000000); // PIO0_29 latch high, still an input
    write(block, LPC_GPIO_REG.DIRNOT(0), 0x20000000);
    write(block, LPC_GPIO_REG.DIRCLR(0), 0x20000000);
    expect(changes()).toEqual(['0.29=1', '0.29=0']);
    expect(read(block, LPC_GPIO_REG.DIR(0))).toBe(0);
  });
});
