// FreeRTOS list.c, as the scheduler and the kernel objects use it: event lists of waiting
// tasks, and the ready list of one priority with its round-robin cursor.

import type { RtosTask } from './tasks';

/** An event list: tasks waiting on one object, highest priority first, FIFO among equals (vListInsert). */
export class WaitList {
  readonly tasks: RtosTask[] = [];

  insertByPriority(task: RtosTask): void {
    let at = this.tasks.length;
    while (at > 0 && this.tasks[at - 1]!.priority < task.priority) at--;
    this.tasks.splice(at, 0, task);
  }

  /** Unordered event lists (event groups) keep arrival order. */
  insertLast(task: RtosTask): void {
    this.tasks.push(task);
  }

  remove(task: RtosTask): void {
    const at = this.tasks.indexOf(task);
    if (at >= 0) this.tasks.splice(at, 1);
  }

  get length(): number {
    return this.tasks.length;
  }
}

/**
 * The ready tasks of one priority as FreeRTOS keeps them: a ring with an end marker and a
 * cursor on the task last selected. Selection moves the cursor one step; a task made
 * ready goes just before the cursor, so it is the last one the rotation reaches.
 */
export class ReadyRing {
  private readonly items: RtosTask[] = [];
  /** Index of the task last selected; -1 is the end marker. */
  private cursor = -1;

  get length(): number {
    return this.items.length;
  }

  includes(task: RtosTask): boolean {
    return this.items.includes(task);
  }

  insertEnd(task: RtosTask): void {
    if (this.cursor < 0) {
      this.items.push(task);
    } else {
      this.items.splice(this.cursor, 0, task);
      this.cursor++;
    }
  }

  remove(task: RtosTask): void {
    const at = this.items.indexOf(task);
    if (at < 0) return;
    if (at <= this.cursor) this.cursor--; // the cursor moves back onto the previous item (or the end marker)
    this.items.splice(at, 1);
  }

  /** Steps the cursor (skipping the end marker) and returns that task. */
  next(): RtosTask {
    this.cursor = (this.cursor + 1) % this.items.length;
    return this.items[this.cursor]!;
  }
}

