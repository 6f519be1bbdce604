// A GTKWave save file (.gtkw) for a VCD: which signals to show, in which groups and in which
// number format, so that `gtkwave out.vcd out.gtkw` (or `gtkwave out.gtkw`) opens with the
// cores, their interrupt lines, the mailbox registers by name, the vring indices and the
// message counters laid out, instead of an empty wave window.
//
// The format is GTKWave's own (the files its "Write Save File" makes; `man gtkwave`, and
// /usr/share/doc/gtkwave/examples/*.gtkw): one directive or trace per line.
//   [*] text                a comment
//   [dumpfile] "name"       the dump file
//   [savefile] "name"       the save file's own name: with both relative, GTKWave finds the
//                           dump file beside the save file when given only the save file
//   [timestart] 0           the left edge of the wave window, in timescale units
//   [size] W H              the main window, pixels
//   *Z M m1 … m26           zoom Z (GTKWave's log2 scale), the marker and 26 named markers (-1: none)
//   @HEX                    the display flags of the traces that follow (GTKWave's TR_* bits)
//   scope.name[msb:lsb]     a signal by its full name, as GTKWave names it: a VCD vector
//                           declared without a range gets "[width-1:0]"; wires, integers and
//                           strings keep their bare name
//   -text                   a blank trace with a label; with the group flags it opens or
//                           closes a group of that name
// This writer makes the minimal subset above; there is nothing in it of the host (no date,
// no path but the VCD's own file name), so the same run gives the same bytes.

/** How a trace shows its value. */
export type GtkwFormat = 'binary' | 'hex' | 'decimal' | 'signed' | 'text';

export interface GtkwSignal {
  /** Full name as GTKWave knows it ("rpmsg_sim.cm7.state_name", "rpmsg_sim.mu_a.CR[31:0]"). */
  name: string;
  format: GtkwFormat;
}

export interface GtkwGroup {
  title: string;
  signals: GtkwSignal[];
}

// GTKWave's trace flags (TR_* in its analyzer.h, as its save files write them): the ones used here.
const TR_HEX = 0x2;
const TR_DEC = 0x4;
const TR_BIN = 0x8;
const TR_RJUSTIFY = 0x20;
const TR_BLANK = 0x200;
const TR_SIGNED = 0x400;
const TR_GRP_BEGIN = 0x800000;
const TR_GRP_END = 0x1000000;

const FLAGS: Record<GtkwFormat, number> = {
  binary: TR_RJUSTIFY | TR_BIN, // @28, GTKWave's default for a new trace
  hex: TR_RJUSTIFY | TR_HEX, // @22
  decimal: TR_RJUSTIFY | TR_DEC, // @24
  signed: TR_RJUSTIFY | TR_DEC | TR_SIGNED, // @424
  text: TR_RJUSTIFY | TR_BIN, // a string variable shows its text whatever the base
};

/**
 * The window the zoom below is fitted to, and the zoom of a run of one time unit in it.
 * Measured: GTKWave 3.3.118 (Debian 12) under Xvfb opened this writer's file for the
 * late-remote lesson (360282500000 fs), "Zoom Best Fit", then "Write Save File": -37.502811,
 * so 0.887527 + log2(360282500000) = 0 (within 1e-6). Zoom best fit of two hand-made files
 * with the same signals over runs of 360282500000 and 1114547500000 fs differed by 1.629261,
 * log2 of the ratio of the lengths: zoom = ZOOM_OF_ONE_UNIT - log2(end). The fit depends a
 * little on the width of the signal names (GTKWave sizes that pane to them).
 */
const WINDOW = { width: 1000, height: 600 };
const ZOOM_OF_ONE_UNIT = 0.887527;

export interface GtkwOptions {
  /** The VCD's file name (no directory: GTKWave looks beside the save file). */
  dumpfile: string;
  /** Time of the last change, in the VCD's timescale units: the zoom shows the whole run. */
  end: bigint;
  /** First comment line. */
  title: string;
}

/** The save file's text. */
export function gtkwSaveFile(groups: readonly GtkwGroup[], options: GtkwOptions): string {
  const lines = [
    `[*] ${oneLine(options.title)}`,
    `[dumpfile] "${quoted(options.dumpfile)}"`,
    `[savefile] "${quoted(gtkwPathOf(options.dumpfile))}"`,
    '[timestart] 0',
    `[size] ${WINDOW.width} ${WINDOW.height}`,
  ];
  const zoom = options.end > 0n ? ZOOM_OF_ONE_UNIT - Math.log2(Number(options.end)) : 0;
  lines.push(`*${zoom.toFixed(6)} -1${' -1'.repeat(26)}`);
  let flags = -1;
  const at = (f: number) => {
    if (f !== flags) lines.push(`@${f.toString(16)}`);
    flags = f;
  };
  for (const group of groups) {
    if (group.signals.length === 0) continue;
    at(TR_GRP_BEGIN | TR_BLANK);
    lines.push(`-${oneLine(group.title)}`);
    for (const s of group.signals) {
      at(FLAGS[s.format]);
      lines.push(s.name);
    }
    at(TR_GRP_END | TR_BLANK);
    lines.push(`-${oneLine(group.title)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The save file of `vcdPath`: the same name with `.gtkw` for its extension. */
export function gtkwPathOf(vcdPath: string): string {
  return /\.vcd$/i.test(vcdPath) ? `${vcdPath.slice(0, -4)}.gtkw` : `${vcdPath}.gtkw`;
}

function quoted(name: string): string {
  return oneLine(name).replace(/"/g, '');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
