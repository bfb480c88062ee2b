import type { LoggerService } from '@nestjs/common';
import type { DatabaseConfig } from '../config/config';
import { redactUrl } from '../config/config';
import { startEmbeddedPostgres } from './embedded-postgres';

/** Database name on the embedded server. */
export const EMBEDDED_DATABASE = 'seamless_ops';

export interface DatabaseServer {
  url: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise our own embedded PostgreSQL, stopped again by `stop()`. */
export async function openDatabaseServer(
  config: DatabaseConfig,
  logger: LoggerService,
  onUnexpectedExit?: (reason: string) => void,
): Promise<DatabaseServer> {
  if (config.url) {
    logger.log(`Using the database at ${redactUrl(config.url)}`);
    return { url: config.url, stop: async () => undefined };
  }
  const { dataDir, port } = config.embedded;
  logger.log(`DATABASE_URL is not set: starting embedded PostgreSQL on 127.0.0.1:${port} with data in ${dataDir}`);
  const server = await startEmbeddedPostgres({ dataDir, port, database: EMBEDDED_DATABASE }, onUnexpectedExit);
  logger.log('Embedded PostgreSQL is ready');
  return server;
}
