// The pin API of one core (firmware/program.ts `Pins`): what the SDK's inline GPIO_PortSet /
// GPIO_PortClear do on each GPIO layout (mcux-sdk drivers/igpio/fsl_gpio.h,
// drivers/lpc_gpio/fsl_gpio.h), with their own instructions charged from the core's `gpio.*`
// cost entries (firmware/costs/gpio-cycles.ts) and their register accesses made on the bus:
//   imxrt-gpio  one write of 1 << pin to DR_SET (0x84) or DR_CLEAR (0x88);
//   lpc-gpio    one write of 1 << pin to SET[port] (0x2200 + 4·port) or CLR[port] (0x2280 + 4·port);
//   imx8m-gpio  a read of DR, then a write of DR | mask or DR & ~mask (no set/clear registers).

import { FirmwareError } from '../../sim/kernel';
import type { Core, Firmware } from '../../sim/hw/core';
import { IGPIO_REG, LPC_GPIO_REG } from '../../sim/hw/gpio';
import type { GpioKind } from '../../sim/hw/gpios';
import type { CoreCosts } from '../../firmware/costs/table';
import type { Pins } from '../../firmware/program';

/** A pin as one core reaches it: the block's kind and base in that core's address map. */
export interface ReachablePin {
  readonly name: string;
  readonly kind: GpioKind;
  readonly base: number;
  readonly port: number;
  readonly pin: number;
}

export class CorePins implements Pins {
  readonly names: readonly string[];
  private readonly byName: ReadonlyMap<string, ReachablePin>;

  constructor(
    private readonly core: Core,
    private readonly costs: CoreCosts,
    readonly own: string,
    /** The pins this core maps, its own first. */
    pins: readonly ReachablePin[],
  ) {
    this.names = pins.map((p) => p.name);
    this.byName = new Map(pins.map((p) => [p.name, p]));
  }

  *set(name: string, high: boolean): Firmware<void> {
    const p = this.byName.get(name);
    if (p === undefined) throw new FirmwareError(`core ${this.core.name}: no pin "${name}" it can drive (pins: ${this.names.join(', ')})`);
    const mask = (1 << p.pin) >>> 0;
    switch (p.kind) {
      case 'imxrt-gpio':
        yield* this.core.run(this.costs.charge('gpio.setClear'));
        yield* this.core.write32(p.base + (high ? IGPIO_REG.DR_SET : IGPIO_REG.DR_CLEAR), mask);
        return;
      case 'lpc-gpio':
        yield* this.core.run(this.costs.charge('gpio.setClear'));
        yield* this.core.write32(p.base + (high ? LPC_GPIO_REG.SET(p.port) : LPC_GPIO_REG.CLR(p.port)), mask);
        return;
      case 'imx8m-gpio': {
        yield* this.core.run(this.costs.charge('gpio.readModifyWrite'));
        const dr = yield* this.core.read32(p.base + IGPIO_REG.DR);
        yield* this.core.write32(p.base + IGPIO_REG.DR, (high ? dr | mask : dr & ~mask) >>> 0);
        return;
      }
    }
  }
}
