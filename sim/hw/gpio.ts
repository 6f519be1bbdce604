// GPIO blocks as the firmware sees them, so that it can raise and lower a pin around what it
// measures, as engineers do with a logic analyser on the bench. Three register layouts:
//
// i.MX GPIO ("igpio", one 32-pin port per block), as the SDK device headers give GPIO_Type
// (MIMXRT1176_cm7 / PERI_GPIO.h; MIMX8MM6_cm4.h) and the igpio driver uses it
// (mcux-sdk drivers/igpio/fsl_gpio.c, fsl_gpio.h):
//   0x00 DR        data (output latch); read: the latch
//   0x04 GDIR      direction, 1 = output
//   0x08 PSR       pad status (read-only): the pad levels
//   0x0C ICR1, 0x10 ICR2, 0x14 IMR, 0x18 ISR, 0x1C EDGE_SEL   interrupt configuration (stored only)
//   0x84 DR_SET    write-only: 1 bits set DR           } i.MX RT1170 only
//   0x88 DR_CLEAR  write-only: 1 bits clear DR         } (FSL_FEATURE_IGPIO_HAS_DR_SET/_CLEAR/_TOGGLE;
//   0x8C DR_TOGGLE write-only: 1 bits toggle DR        }  the i.MX 8M GPIO_Type ends at EDGE_SEL)
//
// LPC GPIO (LPC5411x UM10914, LPC55S6x UM11126 chapter "GPIO"; the SDK device headers'
// GPIO_Type and drivers/lpc_gpio/fsl_gpio.h): one block with 32-pin ports, each register an
// array over the ports:
//   0x0000 B[port][pin]   byte pin registers (port step 0x20): read the pin, write 0/non-0 to the latch
//   0x1000 W[port][pin]   word pin registers (port step 0x80): read 0 or 0xFFFFFFFF, write 0/non-0
//   0x2000 DIR[port]      direction, 1 = output            0x2080 MASK[port]  1 = masked for MPIN
//   0x2100 PIN[port]      read the pins, write the latch   0x2180 MPIN[port]  PIN through ~MASK
//   0x2200 SET[port]      read the latch, 1 bits set it    0x2280 CLR[port]   write-only, 1 bits clear
//   0x2300 NOT[port]      write-only, 1 bits toggle        0x2380 DIRSET, 0x2400 DIRCLR, 0x2480 DIRNOT
//
// Exact: the offsets and what each write does to the latch and the direction. Approximate
// (stated): a pin is driven at its latch's level while its direction is output; an input pin
// is shown low (Assumption: nothing outside drives it; pad pulls are not modelled). Interrupt
// configuration registers store their value and raise nothing (no GPIO interrupt is wired).
// A level change happens when the write reaches the block (the bus model calls `write` at the
// end of the access's last beat, bus.ts), and is reported to the block's listener then: the
// trace's 'gpio' record.

import { InternalError } from '../kernel';
import type { AccessSize, Peripheral, RegisterFault } from './peripheral';
import { checkWordAccess, registersOf } from './peripheral';
import type { Tracer } from '../trace/trace';
import { hex } from '../text/hex';

/** i.MX GPIO register offsets (GPIO_Type of the SDK device headers). */
export const IGPIO_REG = {
  DR: 0x00,
  GDIR: 0x04,
  PSR: 0x08,
  ICR1: 0x0c,
  ICR2: 0x10,
  IMR: 0x14,
  ISR: 0x18,
  EDGE_SEL: 0x1c,
  DR_SET: 0x84,
  DR_CLEAR: 0x88,
  DR_TOGGLE: 0x8c,
} as const;

/** LPC GPIO register offsets of port `port` (GPIO_Type of the LPC5411x / LPC55S6x device headers). */
export const LPC_GPIO_REG = {
  B: (port: number, pin: number): number => 0x20 * port + pin,
  W: (port: number, pin: number): number => 0x1000 + 0x80 * port + 4 * pin,
  DIR: (port: number): number => 0x2000 + 4 * port,
  MASK: (port: number): number => 0x2080 + 4 * port,
  PIN: (port: number): number => 0x2100 + 4 * port,
  MPIN: (port: number): number => 0x2180 + 4 * port,
  SET: (port: number): number => 0x2200 + 4 * port,
  CLR: (port: number): number => 0x2280 + 4 * port,
  NOT: (port: number): number => 0x2300 + 4 * port,
  DIRSET: (port: number): number => 0x2380 + 4 * port,
  DIRCLR: (port: number): number => 0x2400 + 4 * port,
  DIRNOT: (port: number): number => 0x2480 + 4 * port,
} as const;

export const PINS_PER_PORT = 32;

/** A built GPIO block: its register window, and its pins' levels. */
export interface GpioBlock extends Peripheral {
  /** The ports of the block (1 for an i.MX GPIO instance). */
  readonly ports: number;
  /** The level the pin is driven at now (its latch when it is an output; low otherwise). */
  level(port: number, pin: number): boolean;
  /** Makes a pin an output at `level` before the run starts (board set-up: GPIO_PinInit); no record. */
  configureOutput(port: number, pin: number, level: boolean): void;
  /** Receives a 'gpio' record per level change when set. */
  tracer: Tracer | null;
}

/** What the GPIO registry (gpios.ts) holds per kind. */
export interface GpioModel {
  /** Ports per block. */
  readonly ports: number;
  /** Bytes of the register window (the last register's end). */
  readonly windowSize: number;
  /** What the model is, for `platforms NAME` and docs. */
  readonly description: string;
  /** The registers of a window (port 0), for trace headers and docs. */
  readonly registers: readonly { readonly name: string; readonly offset: number }[];
  build(name: string): GpioBlock;
}

/** The pins' latches, directions and the change reports both layouts share. */
abstract class GpioBase implements GpioBlock {
  tracer: Tracer | null = null;
  protected readonly latch: Uint32Array;
  protected readonly dir: Uint32Array;

  constructor(
    readonly name: string,
    readonly ports: number,
    readonly windowSize: number,
  ) {
    this.latch = new Uint32Array(ports);
    this.dir = new Uint32Array(ports);
  }

  abstract read(offset: number, size: AccessSize): number | RegisterFault;
  abstract write(offset: number, value: number, size: AccessSize): RegisterFault | undefined;

  level(port: number, pin: number): boolean {
    this.check(port, pin);
    return ((this.driven(port) >>> pin) & 1) === 1;
  }

  configureOutput(port: number, pin: number, level: boolean): void {
    this.check(port, pin);
    const bit = (1 << pin) >>> 0;
    this.dir[port] = (this.dir[port]! | bit) >>> 0;
    this.latch[port] = (level ? this.latch[port]! | bit : this.latch[port]! & ~bit) >>> 0;
  }

  /** The pins' levels of a port: the latch where the direction is output. */
  protected driven(port: number): number {
    return (this.latch[port]! & this.dir[port]!) >>> 0;
  }

  /** Sets a port's latch and direction, reporting each pin whose driven level changed. */
  protected update(port: number, latch: number, dir: number): void {
    const before = this.driven(port);
    this.latch[port] = latch >>> 0;
    this.dir[port] = dir >>> 0;
    const changed = (before ^ this.driven(port)) >>> 0;
    if (changed === 0 || this.tracer === null || !this.tracer.on.gpio) return;
    const after = this.driven(port);
    for (let pin = 0; pin < PINS_PER_PORT; pin++) {
      if (((changed >>> pin) & 1) === 0) continue;
      this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'gpio', port, pin, level: ((after >>> pin) & 1) === 1 });
    }
  }

  private check(port: number, pin: number): void {
    if (!Number.isInteger(port) || port < 0 || port >= this.ports || !Number.isInteger(pin) || pin < 0 || pin >= PINS_PER_PORT) {
      throw new InternalError(`${this.name}: no pin ${port}.${pin} (ports 0..${this.ports - 1}, pins 0..${PINS_PER_PORT - 1})`);
    }
  }
}

/** An i.MX GPIO instance: one port; `setClearToggle` when it has DR_SET/DR_CLEAR/DR_TOGGLE. */
class ImxGpio extends GpioBase {
  private readonly stored = new Map<number, number>();

  constructor(
    name: string,
    private readonly setClearToggle: boolean,
  ) {
    super(name, 1, setClearToggle ? IGPIO_REG.DR_TOGGLE + 4 : IGPIO_REG.EDGE_SEL + 4);
  }

  read(offset: number, size: AccessSize): number | RegisterFault {
    const fault = checkWordAccess(this.name, this.windowSize, offset, size);
    if (fault !== undefined) return fault;
    switch (offset) {
      case IGPIO_REG.DR:
        return this.latch[0]!;
      case IGPIO_REG.GDIR:
        return this.dir[0]!;
      case IGPIO_REG.PSR:
        return this.driven(0);
      default:
        // interrupt configuration: as written; DR_SET/CLEAR/TOGGLE (write-only) and gaps: 0
        return offset <= IGPIO_REG.EDGE_SEL ? (this.stored.get(offset) ?? 0) : 0;
    }
  }

  write(offset: number, value: number, size: AccessSize): RegisterFault | undefined {
    const fault = checkWordAccess(this.name, this.windowSize, offset, size);
    if (fault !== undefined) return fault;
    const v = value >>> 0;
    const latch = this.latch[0]!;
    const dir = this.dir[0]!;
    switch (offset) {
      case IGPIO_REG.DR:
        this.update(0, v, dir);
        return undefined;
      case IGPIO_REG.GDIR:
        this.update(0, latch, v);
        return undefined;
      case IGPIO_REG.PSR:
        return undefined; // read-only
      case IGPIO_REG.DR_SET:
        this.update(0, latch | v, dir);
        return undefined;
      case IGPIO_REG.DR_CLEAR:
        this.update(0, latch & ~v, dir);
        return undefined;
      case IGPIO_REG.DR_TOGGLE:
        this.update(0, latch ^ v, dir);
        return undefined;
      default:
        if (offset <= IGPIO_REG.EDGE_SEL) this.stored.set(offset, v);
        return undefined;
    }
  }
}

/** The LPC GPIO block: `ports` 32-pin ports. */
class LpcGpio extends GpioBase {
  private readonly mask: Uint32Array;

  constructor(name: string, ports: number) {
    super(name, ports, LPC_GPIO_REG.DIRNOT(0) + 4 * ports);
    this.mask = new Uint32Array(ports);
  }

  read(offset: number, size: AccessSize): number | RegisterFault {
    const range = this.inWindow(offset, size);
    if (range !== undefined) return range;
    if (offset < 0x1000) {
      // byte pin registers: each byte of the access is one pin (0 or 1)
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = v * 256 + this.pinByte(offset + i);
      return v;
    }
    const fault = checkWordAccess(this.name, this.windowSize, offset, size);
    if (fault !== undefined) return fault;
    if (offset < 0x2000) {
      const at = this.wordPin(offset);
      return at === null ? 0 : this.level(at.port, at.pin) ? 0xffffffff : 0;
    }
    const reg = this.portRegister(offset);
    if (reg === null) return 0;
    const { base, port } = reg;
    if (base === LPC_GPIO_REG.DIR(0)) return this.dir[port]!;
    if (base === LPC_GPIO_REG.MASK(0)) return this.mask[port]!;
    if (base === LPC_GPIO_REG.PIN(0)) return this.driven(port);
    if (base === LPC_GPIO_REG.MPIN(0)) return (this.driven(port) & ~this.mask[port]!) >>> 0;
    if (base === LPC_GPIO_REG.SET(0)) return this.latch[port]!;
    return 0; // CLR, NOT, DIRSET, DIRCLR, DIRNOT are write-only
  }

  write(offset: number, value: number, size: AccessSize): RegisterFault | undefined {
    const range = this.inWindow(offset, size);
    if (range !== undefined) return range;
    if (offset < 0x1000) {
      for (let i = 0; i < size; i++) this.writePin(offset + i, Math.floor(value / 256 ** i) % 256 !== 0);
      return undefined;
    }
    const fault = checkWordAccess(this.name, this.windowSize, offset, size);
    if (fault !== undefined) return fault;
    const v = value >>> 0;
    if (offset < 0x2000) {
      const at = this.wordPin(offset);
      if (at !== null) this.setLatchBit(at.port, at.pin, v !== 0);
      return undefined;
    }
    const reg = this.portRegister(offset);
    if (reg === null) return undefined;
    const { base, port } = reg;
    const latch = this.latch[port]!;
    const dir = this.dir[port]!;
    const mask = this.mask[port]!;
    if (base === LPC_GPIO_REG.DIR(0)) this.update(port, latch, v);
    else if (base === LPC_GPIO_REG.MASK(0)) this.mask[port] = v;
    else if (base === LPC_GPIO_REG.PIN(0)) this.update(port, v, dir);
    // MPIN: only the unmasked bits are written
    else if (base === LPC_GPIO_REG.MPIN(0)) this.update(port, (latch & mask) | (v & ~mask), dir);
    else if (base === LPC_GPIO_REG.SET(0)) this.update(port, latch | v, dir);
    else if (base === LPC_GPIO_REG.CLR(0)) this.update(port, latch & ~v, dir);
    else if (base === LPC_GPIO_REG.NOT(0)) this.update(port, latch ^ v, dir);
    else if (base === LPC_GPIO_REG.DIRSET(0)) this.update(port, latch, dir | v);
    else if (base === LPC_GPIO_REG.DIRCLR(0)) this.update(port, latch, dir & ~v);
    else if (base === LPC_GPIO_REG.DIRNOT(0)) this.update(port, latch, dir ^ v);
    return undefined;
  }

  private inWindow(offset: number, size: AccessSize): RegisterFault | undefined {
    if (offset < 0 || offset + size > this.windowSize) {
      return { fault: `${this.name}: offset ${hex(offset)} is outside the register window (${hex(this.windowSize)} bytes)` };
    }
    return undefined;
  }

  /** The byte pin register at `offset`: 1 when the pin is high; 0 for a port the block lacks. */
  private pinByte(offset: number): number {
    const port = offset >> 5;
    return port < this.ports && this.level(port, offset & 31) ? 1 : 0;
  }

  private writePin(offset: number, high: boolean): void {
    const port = offset >> 5;
    if (port < this.ports) this.setLatchBit(port, offset & 31, high);
  }

  private wordPin(offset: number): { port: number; pin: number } | null {
    const port = (offset - 0x1000) >> 7;
    return port < this.ports ? { port, pin: ((offset - 0x1000) & 0x7f) >> 2 } : null;
  }

  private setLatchBit(port: number, pin: number, high: boolean): void {
    const bit = (1 << pin) >>> 0;
    const latch = this.latch[port]!;
    this.update(port, high ? latch | bit : latch & ~bit, this.dir[port]!);
  }

  /** The array register holding `offset` and its port, or null for a gap or a missing port. */
  private portRegister(offset: number): { base: number; port: number } | null {
    const base = offset & ~0x7f;
    const port = (offset & 0x7f) >> 2;
    return port < this.ports ? { base, port } : null;
  }
}

const IGPIO_HEADER = 'SDK device header GPIO_Type';

/** i.MX RT1170 GPIO (GPIO1..13, CM7_GPIO2/3): with DR_SET/DR_CLEAR/DR_TOGGLE. */
export const IMXRT_GPIO_MODEL: GpioModel = {
  ports: 1,
  windowSize: IGPIO_REG.DR_TOGGLE + 4,
  description: `i.MX RT GPIO: DR, GDIR, PSR, ICR1/2, IMR, ISR, EDGE_SEL, DR_SET 0x84, DR_CLEAR 0x88, DR_TOGGLE 0x8C (${IGPIO_HEADER}, MIMXRT1176)`,
  registers: registersOf(IGPIO_REG),
  build: (name) => new ImxGpio(name, true),
};

/** i.MX 8M GPIO (GPIO1..5): DR..EDGE_SEL only; the driver read-modify-writes DR. */
export const IMX8M_GPIO_MODEL: GpioModel = {
  ports: 1,
  windowSize: IGPIO_REG.EDGE_SEL + 4,
  description: `i.MX 8M GPIO: DR, GDIR, PSR, ICR1/2, IMR, ISR, EDGE_SEL; no set/clear registers (${IGPIO_HEADER}, MIMX8MM6_cm4)`,
  registers: registersOf(IGPIO_REG).filter((r) => r.offset <= IGPIO_REG.EDGE_SEL),
  build: (name) => new ImxGpio(name, false),
};

/** The LPC GPIO of the LPC5411x and LPC55S6x: ports 0 and 1 (PIO0, PIO1). */
export const LPC_GPIO_MODEL: GpioModel = {
  ports: 2,
  windowSize: LPC_GPIO_REG.DIRNOT(0) + 4 * 2,
  description: 'LPC GPIO: B/W pin registers, DIR 0x2000, MASK, PIN 0x2100, MPIN, SET 0x2200, CLR 0x2280, NOT 0x2300, DIRSET/DIRCLR/DIRNOT per port (UM10914/UM11126 GPIO chapter; SDK GPIO_Type)',
  registers: (['DIR', 'MASK', 'PIN', 'MPIN', 'SET', 'CLR', 'NOT', 'DIRSET', 'DIRCLR', 'DIRNOT'] as const).flatMap((r) =>
    [0, 1].map((port) => ({ name: `${r}${port}`, offset: LPC_GPIO_REG[r](port) })),
  ),
  build: (name) => new LpcGpio(name, 2),
};
