// `npm run bench -- <suite> [--json] [--pingpong N] [--timers N] [--repeats R]`
//
// Suites: kernel (the pingpong and timers workloads of bench/kernel.ts).
// Prints one line per workload, or with --json:
//   {"workloads":{"pingpong":{"events":N,"seconds":S,"eventsPerSecond":X},"timers":{...}}}
// Wall-clock time is measured here and only here; the simulation itself never reads it.

import { measure, pingpong, timers, type WorkloadResult } from './kernel';

interface Args {
  suite: string;
  json: boolean;
  pingpong: number;
  timers: number;
  repeats: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { suite: 'kernel', json: false, pingpong: 1_000_000, timers: 2_000_000, repeats: 3 };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') args.json = true;
    else if (a === '--pingpong' || a === '--timers' || a === '--repeats') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) usage(`${a} needs a positive integer`);
      args[a.slice(2) as 'pingpong' | 'timers' | 'repeats'] = v;
    } else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 1) usage('one suite at a time');
  if (positional[0] !== undefined) args.suite = positional[0];
  if (args.suite !== 'kernel') usage(`unknown suite "${args.suite}" (suites: kernel)`);
  return args;
}

function usage(error?: string): never {
  const text =
    'usage: npm run bench -- kernel [--json] [--pingpong LOOPS] [--timers WAKEUPS] [--repeats R]\n' +
    '  kernel: pingpong (4 events per loop, default 1000000 loops) and timers (64 processes,\n' +
    '          default 2000000 wake-ups); prints events/s, the median of R runs after a warm-up.';
  if (error !== undefined) {
    process.stderr.write(`bench: ${error}\n${text}\n`);
    process.exit(2);
  }
  process.stdout.write(`${text}\n`);
  process.exit(0);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const workloads: Record<string, WorkloadResult> = {
    pingpong: measure(pingpong, args.pingpong, args.repeats),
    timers: measure(timers, args.timers, args.repeats),
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ workloads })}\n`);
    return;
  }
  for (const [name, r] of Object.entries(workloads)) {
    process.stdout.write(
      `rpmsg-sim ${name} events=${r.events} seconds=${r.seconds.toFixed(4)} events_per_s=${r.eventsPerSecond.toPrecision(4)}\n`,
    );
  }
}

main();
