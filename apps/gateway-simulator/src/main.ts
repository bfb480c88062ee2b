import { ConfigError, optionsFromEnv } from './config';
import { startSimulator } from './simulator';

/** `npm run simulator`: configuration from the environment, listen, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let options;
  try {
    options = optionsFromEnv(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`gateway-simulator: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
  const simulator = await startSimulator({ ...options, log });
  const accounts = simulator.state.accounts
    .all()
    .map((a) => `${a.customerId} (${a.shopIds.map((s) => s || '(no shopId)').join(', ')}; ${a.fingerprintAlgorithm})`)
    .join('; ');
  log(`QENTA gateway simulator listening on ${simulator.url} (public URL ${simulator.publicUrl}/seamless)`);
  log(`accounts: ${accounts}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`gateway-simulator failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
