// Wires between hardware models: an interrupt request line driven by a peripheral and
// sampled by an interrupt controller. A line has a level; listeners hear every change at
// the moment it happens (the controller decides when it samples).

/** Something that wants to know when a line changes level. */
export interface LineListener {
  lineChanged(line: IrqLine): void;
}

export class IrqLine {
  private levelValue = false;
  private readonly listeners: LineListener[] = [];
  /** Rising edges seen (for statistics and traces). */
  rises = 0;

  constructor(readonly name: string) {}

  get level(): boolean {
    return this.levelValue;
  }

  /** Drives the line; listeners are told only on a change. */
  set(level: boolean): void {
    if (level === this.levelValue) return;
    this.levelValue = level;
    if (level) this.rises++;
    for (const l of this.listeners) l.lineChanged(this);
  }

  connect(listener: LineListener): void {
    this.listeners.push(listener);
  }
}
