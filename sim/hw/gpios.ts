// The GPIO models by kind: the one place a platform's `gpio.blocks[].kind` is looked up
// (validation takes the known kinds and each kind's ports from here; the chip builder builds
// the blocks through it). A new GPIO peripheral is its model (a `GpioModel`) plus one line.

import { IMX8M_GPIO_MODEL, IMXRT_GPIO_MODEL, LPC_GPIO_MODEL } from './gpio';

export const GPIO_MODELS = {
  'imxrt-gpio': IMXRT_GPIO_MODEL,
  'imx8m-gpio': IMX8M_GPIO_MODEL,
  'lpc-gpio': LPC_GPIO_MODEL,
} as const;

/** A platform's `gpio.blocks[].kind`: a key of the registry. */
export type GpioKind = keyof typeof GPIO_MODELS;

/** The known kinds, in registry order (for messages). */
export const GPIO_KINDS: readonly GpioKind[] = Object.keys(GPIO_MODELS).filter(isGpioKind);

export function isGpioKind(kind: unknown): kind is GpioKind {
  return typeof kind === 'string' && Object.hasOwn(GPIO_MODELS, kind);
}
