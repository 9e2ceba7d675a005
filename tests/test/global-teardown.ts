import { rmSync } from 'node:fs';

/** Removes the snapshot the global setup made (never one a caller passed in). */
export default function globalTeardown(): void {
  const dir = (globalThis as { seededSnapshotDir?: string }).seededSnapshotDir;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
