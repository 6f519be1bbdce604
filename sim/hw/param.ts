// A described value: every number a platform or a cost table uses carries the place it comes
// from (gem5's described parameters). Below the platform description, so the hardware models,
// the firmware cost tables and the platform data all share one shape.

/** A number (or string) with its source: datasheet, reference manual section, measurement, or a stated assumption. */
export interface Param<T = number> {
  value: T;
  /** Where the value comes from. "Assumption: …" when nothing was published; say why that value. */
  source: string;
}
