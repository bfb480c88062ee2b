import { Controller, Get, Query } from '@nestjs/common';
import type { FunnelResponse, OverviewResponse } from '@seamless-ops/contracts';
import { CurrentOperator, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { FunnelService } from './funnel.service';

@Controller('api/ops')
export class FunnelController {
  constructor(private readonly funnel: FunnelService) {}

  @Get('overview')
  overview(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<OverviewResponse> {
    return this.funnel.overview(operator, query);
  }

  @Get('funnel')
  read(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<FunnelResponse> {
    return this.funnel.funnel(operator, query);
  }
}
