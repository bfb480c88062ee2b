import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HealthStatus {
  status: 'ok';
}

/** How long the database may take to answer `SELECT 1` before the ingester reports itself not ready. */
export const READY_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(private readonly dataSource: DataSource) {}

  /** Ready = the database answers; otherwise 503 with the reason (Nest sends the object as the body). */
  async readiness(): Promise<HealthStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return { status: 'ok' };
    } catch (error) {
      throw new ServiceUnavailableException({ status: 'unavailable', reason: `database: ${describe(error)}` });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** An AggregateError (several addresses refused) has an empty message but a code. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unreachable';
  const code = (error as NodeJS.ErrnoException).code;
  return error.message || code || 'unreachable';
}
