import { Controller, Get, Query } from '@nestjs/common';
import type { Page, SecurityEventItem } from '@seamless-ops/contracts';
import { CurrentOperator, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { SecurityEventsService } from './security-events.service';

@Controller('api/ops/security-events')
export class SecurityEventsController {
  constructor(private readonly securityEvents: SecurityEventsService) {}

  @Get()
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<Page<SecurityEventItem>> {
    return this.securityEvents.list(operator, query);
  }
}
