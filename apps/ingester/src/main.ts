import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createIngesterApp } from './app';
import { ConfigError, loadConfig, type IngesterConfig } from './config/config';
import { createDataSource } from './database/data-source';
import { openDatabaseServer, type DatabaseServer } from './database/database-server';
import { runMigrations } from './database/migrate';
import { createDemoAdmin } from './operators/demo-admin';
import { seedDemoHistory } from './demo/history-seeder';
import { createRootLogger, nestLogger, setLogLevel } from './observability/logging';

// `node dist/apps/ingester/main.js`          serve: config → database → app → migrations (locked) → listen
// `node dist/apps/ingester/main.js migrate`  apply pending migrations and exit

// One JSON logger for the whole process, from the first line on (LOG_LEVEL applies once the config is read);
// the app logs through it too.
const rootLogger = createRootLogger('log');
Logger.overrideLogger(nestLogger(rootLogger));
const logger = new Logger('Ingester');

async function main(args: string[]): Promise<void> {
  const command = args[0] ?? 'serve';
  if (command !== 'serve' && command !== 'migrate') {
    // Usage and configuration errors are for the person starting the process: plain text on stderr.
    console.error(`Unknown command "${command}". Usage: main.js [migrate]`);
    process.exit(2);
  }
  const config = readConfig();
  setLogLevel(rootLogger, config.logLevel);

  const server = await openDatabaseServer(config.database, logger, (reason) => {
    logger.fatal(reason);
    process.exit(1);
  });
  try {
    if (command === 'migrate') await migrate(server);
    else await serve(config, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function readConfig(): IngesterConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function migrate(server: DatabaseServer): Promise<void> {
  const dataSource = createDataSource({ url: server.url, poolSize: 1 });
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    logger.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'No pending migrations');
  } finally {
    await dataSource.destroy();
  }
  await server.stop();
}

async function serve(config: IngesterConfig, server: DatabaseServer): Promise<void> {
  const app = await createIngesterApp(config, server.url, { logger: rootLogger });
  // Not app.enableShutdownHooks(): Nest would re-raise the signal right after closing the app, before the
  // embedded server could be stopped. app.close() runs the same Nest shutdown hooks.
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down`);
    app
      .close()
      .finally(() => server.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  // Demo mode on an empty database: history first (before the jobs start and before the port answers, so the
  // ready check of `npm start` and the shopper trickle come after it).
  if (config.demoMode) await seedDemoHistory(app, config);

  try {
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  logger.log(`Listening on http://${config.http.host}:${config.http.port} (public base URL ${config.http.publicBaseUrl})`);
  if (config.demoMode) await createDemoAdmin(app);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  logger.fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
