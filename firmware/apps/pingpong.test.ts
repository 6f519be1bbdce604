import { cycles } from '../../sim/kernel';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { RL_SUCCESS } from '../rpmsg-lite/constants';
import { pingPong } from './pingpong';

describe('ping-pong on every platform', () => {
  test.each([
    ['imxrt1170', 4],
    ['lpc55s69', 64],
    ['imx8mm', 256],
    ['lpc54114', 4],
  ])('%s, %i-byte messages: the counter goes round 20 times', (platform, payloadSize) => {
    const sys = buildRpmsgSystem(platform);
    const app = pingPong({ count: 20, payloadSize });
    startPrograms(sys, app);
    expect(sys.kernel.run().reason).toBe('stopped');
    const r = app.result;
    expect(r.done).toBe(true);
    expect(r.remoteReceived).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
    expect(r.masterReceived).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 1));
    expect([...r.codes.entries()]).toEqual([[RL_SUCCESS, 41]]); // 40 sends and the NS announce
    // 20 pings and 20 pongs, all delivered (the master ends the run once its 20th reply is in),
    // each delivered after its send returned
    expect([r.log.count, r.log.records.length, r.log.oneWay.master.count, r.log.oneWay.remote.count]).toEqual([40, 40, 20, 20]);
    expect(r.log.records.every((m) => m.delivered > m.sendReturn && m.sendReturn > m.sendCall)).toBe(true);
  });

  test('the same run twice gives the same latencies to the tick', () => {
    const run = () => {
      const sys = buildRpmsgSystem('imxrt1170');
      const app = pingPong({ count: 10, payloadSize: 64 });
      startPrograms(sys, app);
      sys.kernel.run();
      return app.result.log.records;
    };
    expect(run()).toEqual(run());
  });
});

describe('ping-pong with the RTOS environment', () => {
  // On the i.MX RT1170 the master's code runs from ITCM here: with the SDK's XIP placement its
  // cold I-cache makes rpmsg_ns_bind slower than the RTOS remote's announcement (see below).
  const itcm = { 'cores.cm7.placement.code': 'itcm' };
  test.each(['lpc55s69', 'imxrt1170'])('%s: remote on the RTOS, master bare metal; then both on the RTOS', (platform) => {
    for (const environments of [{ remote: 'rtos' as const }, { master: 'rtos' as const, remote: 'rtos' as const }]) {
      const sys = buildRpmsgSystem(platform, { environments, ...(platform === 'imxrt1170' && { overrides: itcm }) });
      const app = pingPong({ count: 10, payloadSize: 64 });
      startPrograms(sys, app);
      sys.kernel.run();
      expect(app.result.done).toBe(true);
      expect(app.result.masterReceived).toEqual(Array.from({ length: 10 }, (_, i) => 2 * i + 1));
    }
  });

  test('imxrt1170 from XIP flash: the RTOS remote announces before the master has bound the name service, and the announcement is lost', () => {
    // The C code allows this race: the master kicks at the end of rpmsg_lite_master_init, the
    // RTOS remote wakes on its event group at once (no 1 ms poll as on bare metal) and sends
    // its NS announcement, while the master, fetching rpmsg_ns_bind and create_ept through a
    // cold I-cache from QSPI NOR (about 0.7 µs a line), has not bound it yet: the message
    // reaches no endpoint and is released (rpmsg_lite_rx_callback drops unknown destinations).
    const sys = buildRpmsgSystem('imxrt1170', { environments: { remote: 'rtos' } });
    const app = pingPong({ count: 10, payloadSize: 64 });
    startPrograms(sys, app);
    sys.kernel.run({ until: sys.master.core.clock.toTicks(cycles(996_000 * 5)) }); // 5 ms
    expect([app.result.done, app.result.masterReceived]).toEqual([false, []]);
  });
});
