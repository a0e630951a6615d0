// One of several processes racing for a store's lock: waits for the moment
// given, takes the lock, prints whether it got it, and holds it until its
// standard input closes (so the others race against a live holder, as they
// would against a window that is still open).
import { acquireLock, releaseLock } from '../../src/core/storage/storeLock';

const [lockPath, startAt] = process.argv.slice(2) as [string, string];
while (Date.now() < Number(startAt)) {
  // Spin: every racer leaves the line at the same moment.
}
const result = acquireLock(lockPath);
process.stdout.write(`${JSON.stringify({ acquired: result.acquired })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  if (result.acquired) releaseLock(lockPath, result.token);
  process.exit(0);
});
