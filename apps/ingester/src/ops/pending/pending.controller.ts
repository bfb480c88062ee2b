import { Controller, Get, Query } from '@nestjs/common';
import type { PendingResponse } from '@seamless-ops/contracts';
import { CurrentOperator, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { PendingService } from './pending.service';

@Controller('api/ops/pending')
export class PendingController {
  constructor(private readonly pending: PendingService) {}

  @Get()
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<PendingResponse> {
    return this.pending.list(operator, query);
  }
}
