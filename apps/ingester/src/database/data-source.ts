import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { TypeOrmNestLogger } from './typeorm-logger';

export interface DatabaseConnection {
  url: string;
  poolSize: number;
}

/**
 * The one TypeORM configuration: the app (TypeOrmModule), `main.js migrate`, the migration generator and
 * the tests all build their DataSource from it. Migrations run only through runMigrations (under the
 * advisory lock), never on initialize, and the schema is never synchronized from the entities.
 */
export function dataSourceOptions({ url, poolSize }: DatabaseConnection): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    poolSize,
    applicationName: 'seamless-ops-ingester',
    connectTimeoutMS: 5_000,
    // Sessions in UTC, so date_trunc('hour' | 'day', …) in SQL agrees with the UTC buckets.
    extra: { options: '-c TimeZone=UTC' },
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmNestLogger(['error', 'warn', 'migration']),
  };
}

export function createDataSource(connection: DatabaseConnection): DataSource {
  return new DataSource(dataSourceOptions(connection));
}
