import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import type { AlertDetailResponse, AlertItem, AlertRulesResponse, Page } from '@seamless-ops/contracts';
import { clientAddress } from '../../auth/client-address';
import { CurrentOperator, RequireRoles, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { OutOfScopeAuditInterceptor } from '../out-of-scope';
import { AlertsService } from './alerts.service';

@Controller('api/ops/alerts')
@UseInterceptors(OutOfScopeAuditInterceptor)
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<Page<AlertItem>> {
    return this.alerts.list(operator, query);
  }

  @Get('rules')
  rules(@CurrentOperator() operator: AuthenticatedOperator): Promise<AlertRulesResponse> {
    return this.alerts.rules(operator);
  }

  @Get(':id')
  detail(@CurrentOperator() operator: AuthenticatedOperator, @Param('id') id: string): Promise<AlertDetailResponse> {
    return this.alerts.detail(operator, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @RequireRoles('operator', 'finance', 'admin')
  acknowledge(@CurrentOperator() operator: AuthenticatedOperator, @Param('id') id: string, @Body() body: unknown, @Req() req: Request): Promise<AlertItem> {
    return this.alerts.acknowledge(operator, id, body, clientAddress(req));
  }
}
