import { ConfigError, optionsFromEnv } from './config';
import { startDemoShop } from './shop';
import { trafficCommand } from './traffic/cli';

/** `node main.js`: the shop, configured from the environment; stops cleanly on SIGINT/SIGTERM. */
async function serve(): Promise<void> {
  let options;
  try {
    options = optionsFromEnv(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`demo-shop: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
  const shop = await startDemoShop({ ...options, log });
  log(`demo shop listening on ${shop.url} (public URL ${shop.publicUrl}), ingester ${options.ingesterUrl}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    shop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'traffic') {
  trafficCommand(args, process.env).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`traffic failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    },
  );
} else if (command === undefined || command === 'serve') {
  serve().catch((e: unknown) => {
    console.error(`demo-shop failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
} else {
  console.error(`demo-shop: unknown command "${command}" (commands: serve (default), traffic)`);
  process.exit(2);
}
