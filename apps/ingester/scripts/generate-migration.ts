// Writes a migration for the difference between the entities and the schema the checked-in migrations
// build. Run from the repository root:
//
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/ingester/scripts/generate-migration.ts AddRefunds
//
// (SWC_NODE_PROJECT names the root tsconfig so the `@seamless-ops/*` paths resolve from the repository root.)
// The difference is TypeORM's schema diff plus CHECK constraints whose expression changed, which TypeORM
// does not see (a value added to an enumeration in libs/contracts or database/enums.ts).
// It works on a scratch database: on DATABASE_URL's server when set, otherwise on a throwaway embedded
// PostgreSQL (your local data directory is not touched). The file lands in
// apps/ingester/src/database/migrations/<timestamp>-<name>.ts; then add its class to MIGRATIONS in
// migrations/index.ts, review the SQL, and run the ingester tests (the schema drift test must pass).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../src/config/repo-root';
import { createDataSource } from '../src/database/data-source';
import { runMigrations } from '../src/database/migrate';
import { createDatabase, dropDatabases, startPostgresServer } from '../test/postgres-server';
import { changedChecks } from '../test/schema-drift';

/** One statement of TypeORM's schema diff. */
interface Query {
  query: string;
  parameters?: unknown[];
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('Usage: generate-migration.ts <PascalCaseName>, e.g. AddRefunds');
    process.exit(2);
  }
  const server = await startPostgresServer();
  const scratch = `seamless_ops_migration_${randomBytes(4).toString('hex')}`;
  try {
    const dataSource = createDataSource({ url: await createDatabase(server.url, scratch), poolSize: 2 });
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      const diff = await dataSource.driver.createSchemaBuilder().log();
      // TypeORM does not see a changed CHECK expression (it compares names): replace those constraints.
      const checks = await changedChecks(dataSource);
      const replace = (table: string, name: string, definition: string): Query[] => [
        { query: `ALTER TABLE "${table}" DROP CONSTRAINT "${name}"` },
        { query: `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" ${definition}` },
      ];
      const upQueries = [...diff.upQueries, ...checks.flatMap((c) => replace(c.table, c.name, c.declared))];
      const downQueries = [...checks.flatMap((c) => replace(c.table, c.name, c.migrated)), ...[...diff.downQueries].reverse()];
      if (upQueries.length === 0) {
        console.log('The entities match the migrations: nothing to generate.');
        return;
      }
      const timestamp = Date.now();
      const file = join(findRepoRoot(), 'apps/ingester/src/database/migrations', `${timestamp}-${kebab(name)}.ts`);
      writeFileSync(file, render(`${name}${timestamp}`, upQueries, downQueries));
      console.log(`Wrote ${file}\nAdd ${name}${timestamp} to MIGRATIONS in migrations/index.ts and review the SQL.`);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await dropDatabases(server.url, [scratch]);
    await server.stop();
  }
}

function render(className: string, up: Query[], down: Query[]): string {
  const statements = (queries: Query[]) =>
    queries
      .map(({ query, parameters }) => {
        const sql = query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
        const args = parameters?.length ? `, ${JSON.stringify(parameters)}` : '';
        return `    await queryRunner.query(\`${sql}\`${args});`;
      })
      .join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${statements(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${statements(down)}
  }
}
`;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
