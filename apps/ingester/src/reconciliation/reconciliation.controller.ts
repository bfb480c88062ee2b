import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentOperator, RequireRoles, type AuthenticatedOperator } from '../auth/operator-access';
import type { RawQuery } from '../ops/ops-query';
import { DailyTotalsService } from './daily-totals.service';

/** Finance reconciliation: for the roles finance and admin, within the operator's shops. */
@Controller('api/ops/reconciliation')
@RequireRoles('finance', 'admin')
export class ReconciliationController {
  constructor(private readonly dailyTotals: DailyTotalsService) {}

  /** `GET /api/ops/reconciliation/daily?from&to&shopId&currency&paymentType[&format=csv]` → DailyTotalsResponse or CSV. */
  @Get('daily')
  daily(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.dailyTotals.respond(operator, query, req, res);
  }
}
