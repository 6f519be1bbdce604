// Where the time goes, on real runs: for every message of ping-pong on each of the four
// platforms, the phases add up to its one-way latency measured independently from the
// records (the send call that enqueued it to its delivery), every boundary is seen, and every
// round trip's segments add up to its span (the ping's send call to the pong's delivery).

import { join } from 'node:path';
import { readScenarioFile } from '../scenario-engine/files';
import type { MessageBreakdown } from '../scenario-engine/phases';
import { runScenario } from '../scenario-engine/run';
import { MemorySink } from '../sim/trace/trace';

const PING_PONGS = ['ping-pong.yaml', 'ping-pong-imx8mm.yaml', 'ping-pong-lpc54114.yaml', 'ping-pong-lpc55s69.yaml'];

describe.each(PING_PONGS)('%s', (file) => {
  test('every message: phases sum to its latency, all boundaries seen; every round trip sums to its span', () => {
    const scenario = readScenarioFile(join('scenarios', file)).scenario!;
    const memory = new MemorySink();
    const messages: MessageBreakdown[] = [];
    const trips: { segments: number[]; span: number }[] = [];
    const summary = runScenario(scenario, {
      sinks: () => [memory],
      onMessagePhases: (b) => messages.push(b),
      onRoundTripPhases: (segments, span) => trips.push({ segments, span }),
    });

    // Independently: a message's latency is its delivery's time minus the open send call's start on the sender.
    const sendCall = new Map<string, number>();
    const sentAt = new Map<string, number>();
    const latency = new Map<string, number>();
    for (const r of memory.records) {
      if (r.kind === 'rl-call' && r.fn === 'rpmsg_lite_send') sendCall.set(r.component, r.t);
      if (r.kind === 'rl-enqueue') sentAt.set(`${r.dir}#${r.msg}`, sendCall.get(r.component)!);
      if (r.kind === 'rl-deliver' && r.ept >= 0) latency.set(`${r.dir}#${r.msg}`, r.t - sentAt.get(`${r.dir}#${r.msg}`)!);
    }
    // 20 pings; 20 pongs and the name-service announcement
    expect(messages).toHaveLength(41);
    expect(latency.size).toBe(41);
    for (const b of messages) {
      const key = `${b.dir}#${b.msg}`;
      expect([key, b.latency, b.complete]).toEqual([key, latency.get(key), true]);
      expect([key, b.phases.reduce((a, v) => a + v, 0)]).toEqual([key, b.latency]);
      // time only goes forward through the boundaries
      expect(b.phases.every((v) => v >= 0)).toBe(true);
    }
    expect([summary.phases.masterToRemote.complete, summary.phases.remoteToMaster.complete]).toEqual([20, 21]);
    // the summary's mean of the phases' sum is the one-way latency's mean (both rounded to 0.001 ns)
    expect(summary.phases.masterToRemote.latencyNs.mean).toBeCloseTo(summary.latency.oneWay.masterToRemote.ns.mean, 2);
    expect(summary.phases.remoteToMaster.latencyNs.mean).toBeCloseTo(summary.latency.oneWay.remoteToMaster.ns.mean, 2);

    // Ping m2r#i is answered by pong r2m#(i+1) (r2m#0 is the announcement).
    expect(trips).toHaveLength(20);
    expect(summary.phases.roundTrip.count).toBe(20);
    trips.forEach((trip, i) => {
      const span = latency.get(`r2m#${i + 1}`)! + sentAt.get(`r2m#${i + 1}`)! - sentAt.get(`m2r#${i}`)!;
      expect([i, trip.segments.reduce((a, v) => a + v, 0)]).toEqual([i, trip.span]);
      expect([i, trip.span]).toEqual([i, span]);
    });
  });
});
