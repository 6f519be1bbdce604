import { applySettings } from './files';

describe('--set paths', () => {
  const text = 'master:\n  app: ping-pong\n  params: {count: 20}\nremote: {app: ping-pong}\n';

  test('dotted into the document; one key under overrides. and <role>.costs.', () => {
    const { text: out, problems } = applySettings(text, [
      'master.params.count=5',
      'overrides.clocks.cm4=200MHz',
      'master.costs.rl.sendMaster=180',
      'remote.costs.cyclesPerInstruction=1',
    ]);
    expect(problems).toEqual([]);
    expect(out).toBe(
      'master:\n  app: ping-pong\n  params: { count: 5 }\n  costs:\n    rl.sendMaster: 180\n' +
        'remote: { app: ping-pong, costs: { cyclesPerInstruction: 1 } }\n' +
        'overrides:\n  clocks.cm4: 200MHz\n',
    );
  });

  test('a setting without a value is a problem, named', () => {
    expect(applySettings(text, ['stop.time']).problems).toEqual(['--set stop.time: expected path=value, e.g. --set stop.time=2ms']);
  });
});
