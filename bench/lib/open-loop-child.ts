import { BodyFeed, openLoop } from './load';

// The open-loop generator in a process of its own, so that its latency figures are not stretched by garbage
// collection pauses of the orchestrator's large heap (every pre-signed body of the run lives there).
// Receives { baseUrl, bodies, rate, seconds } once, answers with the LoadResult (indices into `bodies`), exits.

process.once('message', (message: { baseUrl: string; bodies: string[]; rate: number; seconds: number }) => {
  openLoop(message.baseUrl, new BodyFeed(message.bodies), message.rate, message.seconds).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`open loop failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
