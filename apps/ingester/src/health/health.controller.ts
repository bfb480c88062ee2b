import { Controller, Get } from '@nestjs/common';
import { HealthService, type HealthStatus } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** The process is up; never touches the database. */
  @Get('live')
  live(): HealthStatus {
    return { status: 'ok' };
  }

  /** 200 when the database answers `SELECT 1` within 2 s, else 503 `{ status: 'unavailable', reason }`. */
  @Get('ready')
  ready(): Promise<HealthStatus> {
    return this.health.readiness();
  }
}
