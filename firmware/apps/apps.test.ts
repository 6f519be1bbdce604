import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { RL_ERR_NO_MEM, RL_SUCCESS } from '../rpmsg-lite/constants';
import { flood } from './flood';
import { nsDemo } from './ns-demo';
import { strEcho } from './str-echo';

describe('string echo', () => {
  test.each(['imxrt1170', 'lpc54114'])('%s: every string comes back unchanged', (platform) => {
    const strings = ['hello', 'rpmsg-lite on a simulated SoC', 'x'.repeat(496), '', 'ünïcödé'];
    const sys = buildRpmsgSystem(platform);
    const app = strEcho({ strings });
    startPrograms(sys, app);
    sys.kernel.run();
    expect(app.result.done).toBe(true);
    expect(app.result.echoes).toEqual(strings);
    expect([...app.result.codes.keys()]).toEqual([RL_SUCCESS]);
  });
});

describe('flood', () => {
  test('without waiting, the third send finds no buffer (N = 2, the remote has not run yet)', () => {
    const sys = buildRpmsgSystem('lpc55s69');
    const app = flood({ count: 100, payloadSize: 64, stopAtNoMem: true });
    startPrograms(sys, { master: app.master }); // the remote core is not running
    sys.kernel.run();
    expect(app.result.firstNoMemAt).toBe(2);
    expect(app.result.codes.get(RL_ERR_NO_MEM)).toBe(1);
  });

  test('with polling sends, 200 messages all arrive; a slower consumer lowers the throughput', () => {
    const rate = (consumerCycles: number) => {
      const sys = buildRpmsgSystem('imxrt1170', { config: { bufferCount: 4 } });
      const app = flood({ count: 200, payloadSize: 64, consumerCycles });
      startPrograms(sys, app);
      sys.kernel.run();
      expect(app.result.received).toBe(200);
      expect(app.result.bytesReceived).toBe(200 * 64);
      return 200 / sys.kernel.timebase.toSeconds((app.result.endTick - app.result.startTick) as never);
    };
    const fast = rate(0);
    const slow = rate(4000);
    expect(slow).toBeLessThan(fast);
    expect(slow).toBeLessThan(400e6 / 4000); // bounded by the consumer: 4000 cycles at 400 MHz per message
  });
});

describe('name-service demo', () => {
  test('three endpoints announced with RL_ADDR_ANY; the master greets each and each answers', () => {
    const sys = buildRpmsgSystem('lpc55s69');
    const app = nsDemo({ names: ['sensor', 'motor', 'log'] });
    startPrograms(sys, app);
    sys.kernel.run();
    expect(app.result.announced).toEqual([
      { name: 'sensor', addr: 1, flags: 0 },
      { name: 'motor', addr: 2, flags: 0 },
      { name: 'log', addr: 3, flags: 0 },
    ]);
    expect(app.result.replies).toEqual(['sensor@1', 'motor@2', 'log@3']);
  });
});
