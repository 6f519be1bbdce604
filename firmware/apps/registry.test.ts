import { InternalError } from '../../sim/kernel';
import { APPS, APP_NAMES, appNamed } from './registry';

describe('the app registry', () => {
  test('lists the four built-in apps, in order', () => {
    expect(APP_NAMES).toEqual(['ping-pong', 'str-echo', 'flood', 'ns-demo']);
    expect(appNamed('flood').name).toBe('flood');
  });

  test("each parameter carries the option it sets (the declaration's key), its YAML key, kind and minimum", () => {
    expect(appNamed('ping-pong').params.map((p) => [p.option, p.key, p.kind, p.required, p.min?.value])).toEqual([
      ['count', 'count', 'count', true, undefined],
      ['payloadSize', 'payload-size', 'size', true, 4],
      ['remoteEndpoint', 'remote-endpoint', 'address', false, undefined],
      ['channel', 'channel', 'ns-name', false, undefined],
      ['pin', 'pin', 'flag', false, undefined],
      ['announceDelayMs', 'announce-delay-ms', 'count', false, undefined],
    ]);
    expect(APPS.map((a) => a.params.map((p) => p.key))).toEqual([
      ['count', 'payload-size', 'remote-endpoint', 'channel', 'pin', 'announce-delay-ms'],
      ['strings', 'channel', 'remote-endpoint'],
      ['count', 'payload-size', 'stop-at-no-mem', 'consumer-cycles', 'log'],
      ['names'],
    ]);
  });

  test('create makes both halves from params that match the declaration', () => {
    const app = appNamed('str-echo').create({ strings: ['a'], channel: 'tty' });
    expect(typeof app.master).toBe('function');
    expect(typeof app.remote).toBe('function');
  });

  test.each([
    ['a value of the wrong kind', { count: 1, payloadSize: 4, log: 'yes' }],
    ['a missing required option', { count: 1 }],
    ['an option the app does not have', { count: 1, payloadSize: 4, speed: 2 }],
    ['a negative count', { count: -1, payloadSize: 4 }],
  ])('create refuses %s (the loader never builds such params): an InternalError', (_what, params) => {
    expect(() => appNamed('flood').create(params)).toThrow(InternalError);
    expect(() => appNamed('flood').create(params)).toThrow(
      `flood: params ${JSON.stringify(params)} do not match the app's declaration (the loader should have refused them)`,
    );
  });
});
