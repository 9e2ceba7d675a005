// The mix+writes row registers new people; on a kept dataset (national) the people of an earlier
// run are still members, so a run must not register the same identity numbers again.
describe("the bench's identity numbers", () => {
  const run = (n: number): string[] => {
    let ids: string[] = [];
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { nextIdNumber } = require('../src/writes') as typeof import('../src/writes');
      ids = Array.from({ length: n }, () => nextIdNumber('330102'));
    });
    return ids;
  };

  it('are distinct within a run and differ from one run to the next', () => {
    const first = run(2000);
    expect(new Set(first).size).toBe(2000);
    expect(first.every((id) => /^330102\d{11}[\dX]$/.test(id))).toBe(true);
    // each run is a fresh module, as each bench process is: before, every run began with the same numbers
    const starts = new Set([first[0], ...Array.from({ length: 4 }, () => run(1)[0])]);
    expect(starts.size).toBe(5);
  });
});
