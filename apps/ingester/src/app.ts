import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { enabledLogLevels, type IngesterConfig } from './config/config';
import { runMigrations } from './database/migrate';

/**
 * Builds the ingester (the same app for main.ts and the tests) on a running database and applies pending
 * migrations under the advisory lock. The caller listens and closes; `app.close()` runs Nest's shutdown
 * hooks, which also close the connection pool.
 */
export async function createIngesterApp(config: IngesterConfig, databaseUrl: string): Promise<INestApplication> {
  // abortOnError: false — a failed start throws to the caller instead of Nest calling process.exit.
  const app = await NestFactory.create(AppModule.forRoot(config, databaseUrl), {
    logger: enabledLogLevels(config.logLevel),
    abortOnError: false,
  });
  try {
    const applied = await runMigrations(app.get(DataSource));
    new Logger('Migrations').log(applied.length ? `Applied ${applied.join(', ')}` : 'Schema is up to date');
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
