import type { DataSource } from 'typeorm';

export interface CheckDrift {
  table: string;
  name: string;
  /** `CHECK (…)` as PostgreSQL normalises the entity's expression. */
  declared: string;
  /** `CHECK (…)` as the migrations created it. */
  migrated: string;
}

/**
 * CHECK constraints whose expression differs between the entities and the database. TypeORM's schema diff
 * compares checks by name only, so a value added to an enumeration would slip through it. PostgreSQL
 * normalises each entity expression on a temporary copy of its table, so the two texts compare; all in a
 * transaction that is rolled back. Checks missing on either side are TypeORM's diff's business.
 */
export async function changedChecks(dataSource: DataSource): Promise<CheckDrift[]> {
  const runner = dataSource.createQueryRunner();
  const drift: CheckDrift[] = [];
  await runner.startTransaction();
  try {
    const definition = async (table: string, name: string): Promise<string | undefined> => {
      const rows: { def: string }[] = await runner.query(
        'SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2',
        [`"${table}"`, name],
      );
      return rows[0]?.def;
    };
    for (const entity of dataSource.entityMetadatas) {
      const scratch = `drift_${entity.tableName}`;
      for (const check of entity.checks) {
        if (!check.name || !check.expression) continue;
        const migrated = await definition(entity.tableName, check.name);
        if (migrated === undefined) continue;
        await runner.query(`CREATE TEMP TABLE IF NOT EXISTS "${scratch}" (LIKE "${entity.tableName}")`);
        await runner.query(`ALTER TABLE "${scratch}" ADD CONSTRAINT "${check.name}" CHECK (${check.expression})`);
        const declared = (await definition(scratch, check.name)) ?? '';
        if (declared !== migrated) drift.push({ table: entity.tableName, name: check.name, declared, migrated });
      }
    }
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
  return drift;
}
