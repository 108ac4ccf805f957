// A pool worker (forked by runner.ts): runs units it is sent, one at a time, in this process,
// so the backend and the experiment modules are initialised once per worker, not per unit.
import { runTask, type RunStamp, type Task } from './runner';

process.on('message', (m: { type: 'run'; task: Task; stamp: RunStamp; experimentsDir: string }) => {
  if (m.type !== 'run') return;
  let last = 0;
  runTask(m.task, m.stamp, (frac) => {
    const now = performance.now();
    if (now - last > 250 || frac >= 1) { last = now; process.send?.({ type: 'progress', frac }); }
  }, m.experimentsDir)
    .then(() => process.send?.({ type: 'done' }))
    .catch((e: Error) => process.send?.({ type: 'error', error: e.stack ?? String(e) }));
});
process.on('disconnect', () => process.exit(0));
