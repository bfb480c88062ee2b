import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { AlertItem, Page } from '@seamless-ops/contracts';
import { CurrentOperator, RequireRoles, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { AlertsService } from './alerts.service';

/** Placeholder until the alerting issue (see AlertsService). */
@Controller('api/ops/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Page<AlertItem> {
    return this.alerts.list(operator, query);
  }

  @Post(':id/ack')
  @HttpCode(204)
  @RequireRoles('operator', 'finance', 'admin')
  acknowledge(@CurrentOperator() operator: AuthenticatedOperator, @Param('id') id: string): void {
    this.alerts.acknowledge(operator, id);
  }
}
