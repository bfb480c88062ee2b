import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795711520376 } from './1795711520376-initial-schema';
import { AddOperatorsSessionsAudit1795712011245 } from './1795712011245-add-operators-sessions-audit';
import { AddOperatorApiIndexes1795712253121 } from './1795712253121-add-operator-api-indexes';
import { AddReconciliation1795713304484 } from './1795713304484-add-reconciliation';
import { AddAlerts1795713942220 } from './1795713942220-add-alerts';
import { OpenPaymentsIndex1795721686844 } from './1795721686844-open-payments-index';

/**
 * Every migration, oldest first, imported as classes so the webpack bundle contains them (no globs).
 * Add each file that scripts/generate-migration.ts writes here.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1795711520376, AddOperatorsSessionsAudit1795712011245, AddOperatorApiIndexes1795712253121, AddReconciliation1795713304484, AddAlerts1795713942220, OpenPaymentsIndex1795721686844];
