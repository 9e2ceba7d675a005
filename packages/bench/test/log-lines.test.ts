import { BENCH_REQUEST_ID, countBenchRequests } from '../src/log-lines';

const line = (requestId: string, path = '/graphql', msg = 'request') =>
  JSON.stringify({ level: 30, time: 1, service: 'organizations', requestId, method: 'POST', path, status: 200, ms: 2.1, msg });

describe('the subgraph requests the bench counts', () => {
  it("counts the bench's requests only, not the followers' polls of organizations", () => {
    // What organizations logs while the stack is idle: the four followers' polls every 500 ms,
    // each with its own request id. Counting them kept every `settle` at its 60 s maximum.
    const followers = Array.from({ length: 8 }, (_, i) => line(`0b6f6f2c-1c2d-4e5f-8a9b-00000000000${i}`));
    const bench = [line(BENCH_REQUEST_ID), line(BENCH_REQUEST_ID)];
    expect(countBenchRequests([...followers, bench[0], ...followers, bench[1], ''].join('\n'))).toBe(2);
    expect(countBenchRequests(followers.join('\n'))).toBe(0);
  });

  it('ignores probes, other messages and lines that are not JSON', () => {
    const text = [
      line(BENCH_REQUEST_ID, '/ready'),
      line(BENCH_REQUEST_ID, '/graphql', 'reorganization applied'),
      `{"msg":"request" cut off`,
      line(BENCH_REQUEST_ID),
    ].join('\n');
    expect(countBenchRequests(text)).toBe(1);
  });
});
