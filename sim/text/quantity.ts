// Quantities for people to read: a byte count or a duration in the unit that suits it
// (`3.2 KiB`, `125.508 ms`), as the CLI prints them in `wrote FILE (size)` lines, summaries
// and progress. Machine outputs (--json, CSV, traces) keep exact numbers in fixed units.

/** A size in bytes: `812 B`, `3.2 KiB`, `14.7 MiB`, `1.3 GiB` (binary prefixes, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A duration given in ns, in the largest unit in which it is at least 1 (ns, µs, ms, s),
 * with `digits` significant decimals at most and trailing zeros dropped:
 * 125507822.325 ns -> `125.508 ms`, 1256.918 ns -> `1.257 µs`, 0 -> `0 ns`.
 */
export function formatNs(ns: number, digits = 3): string {
  const abs = Math.abs(ns);
  const [scale, unit] = abs >= 1e9 ? [1e9, 's'] : abs >= 1e6 ? [1e6, 'ms'] : abs >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  const text = (ns / scale).toFixed(digits).replace(/\.?0+$/, '');
  return `${text === '-0' ? '0' : text} ${unit}`;
}

/** The line a command prints (on stderr) for each file it wrote: `wrote out/trace.vcd (14.7 MiB)`. */
export function wroteLine(path: string, bytes: number): string {
  return `wrote ${path} (${formatBytes(bytes)})`;
}
