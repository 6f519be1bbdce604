// The examples each command's --help ends with (yargs .example()), by command name: commands
// run from the repository or from an installed package's folder (`scenarios/` ships in it).
// bin/cli.ts adds them; a command that declares examples of its own in its builder keeps them.

export const EXAMPLES: Readonly<Record<string, readonly (readonly [command: string, what: string])[]>> = {
  run: [
    ['$0 run scenarios/ping-pong.yaml', 'ping-pong on its platform: latency, throughput, where the time goes'],
    ['$0 run scenarios/ping-pong.yaml --trace -', 'the run as a story on the terminal'],
    ['$0 run scenarios/ping-pong.yaml --trace out.vcd --trace out.json', 'a waveform for GTKWave and a timeline for ui.perfetto.dev'],
    ["$0 run scenarios/ping-pong.yaml --set master.params.count=5 overrides.clocks.cm4=200MHz 'expect={}'", "other values (expect={} drops the file's expectations)"],
    ['$0 run scenarios/ping-pong.yaml --json --quiet > summary.json', 'the summary as JSON, nothing on stderr'],
  ],
  validate: [
    ['$0 validate scenarios/*.yaml', 'check files: every error with its file, line and column'],
    ['$0 validate my.yaml --set stop.time=2ms', 'check with a value changed'],
  ],
  platforms: [
    ['$0 platforms', 'the platforms, the default marked'],
    ['$0 platforms imxrt1170', 'one platform: clocks, memories, buses, every number with its source'],
    ['$0 platforms lpc55s69 --costs', "and each core's firmware cost table"],
  ],
  diff: [
    ['$0 diff scenarios/golden/ping-pong.jsonl out.jsonl', 'where two traces part, and how the summary moved'],
  ],
  check: [
    ['$0 check scenarios/*.yaml', 'compare each run with its golden files'],
    ['$0 check scenarios/*.yaml --junit report.xml', 'and write a JUnit report for CI'],
    ['$0 check scenarios/ping-pong.yaml --update', 'rewrite the golden files (on purpose: commit them with a reason)'],
  ],
  explain: [
    ['$0 explain scenarios/lessons/one-message.yaml', 'one message step by step, every access named'],
    ['$0 explain scenarios/ping-pong.yaml --message m2r#1', 'follow one message end to end'],
  ],
  layout: [
    ['$0 layout scenarios/ping-pong.yaml', "the scenario's shared-memory map"],
    ['$0 layout --platform lpc55s69 --buffer-count 4 --payload-size 1KiB --svg map.svg', 'a map from rpmsg-lite options, also as SVG'],
  ],
  shmem: [
    ['$0 run scenarios/master-init.yaml --dump-shmem shm.bin', 'first dump the shared memory'],
    ['$0 shmem shm.bin scenarios/master-init.yaml', 'then decode it into named fields'],
  ],
  view: [['$0 view scenarios/ping-pong.yaml -o run.html', 'a page that replays the run (open it in a browser)']],
  completion: [['$0 completion >> ~/.bashrc', 'Tab completion of commands and options in bash (zsh: >> ~/.zshrc)']],
};
