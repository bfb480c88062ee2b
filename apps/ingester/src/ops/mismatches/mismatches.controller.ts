import { Controller, Get, Query } from '@nestjs/common';
import type { MismatchListResponse } from '@seamless-ops/contracts';
import { CurrentOperator, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { MismatchesService } from './mismatches.service';

@Controller('api/ops/mismatches')
export class MismatchesController {
  constructor(private readonly mismatches: MismatchesService) {}

  @Get()
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<MismatchListResponse> {
    return this.mismatches.list(operator, query);
  }
}
