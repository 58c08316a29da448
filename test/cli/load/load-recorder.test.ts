import { describe, expect, it } from 'vitest';
import { LoadRecorder } from '../../../cli/load/load-recorder.js';

describe('LoadRecorder', () => {
  it('reads the overall histogram as every server histogram added up, again after new responses', () => {
    const recorder = new LoadRecorder();
    recorder.recordResponse('server1', 200, 1_000);
    recorder.recordResponse('server2', 200, 3_000);
    expect(recorder.overall.totalCount).toBe(2);
    expect(recorder.overall.maxValue).toBeGreaterThanOrEqual(2_990);
    recorder.recordResponse('server1', 503, 9_000);
    expect(recorder.overall.totalCount).toBe(3);
    expect(recorder.overall.maxValue).toBeGreaterThanOrEqual(8_990);
  });

  it('counts statuses per tick and per run, failures as `error`, and resets the tick', () => {
    const recorder = new LoadRecorder();
    recorder.recordResponse('server1', 200, 500);
    recorder.recordResponse('server1', 200, 500);
    recorder.recordResponse('server2', 503, 500);
    recorder.recordFailure('ECONNREFUSED');
    const first = recorder.takeTick(100, 100, 0);
    expect(first.byStatus).toEqual({ '200': 2, '503': 1, error: 1 });
    recorder.recordResponse('server1', 404, 500);
    const second = recorder.takeTick(200, 100, 0);
    expect(second.byStatus).toEqual({ '404': 1 });
    const result = recorder.result(200, 5, [first, second]);
    expect(result.byStatus).toEqual({ '200': 2, '404': 1, '503': 1, error: 1 });
    expect(result.requests).toBe(5);
    expect(result.errors).toBe(2);
    expect(result.latency.p50Ms).toBeGreaterThan(0);
  });
});
