import { Controller, Get, Query } from '@nestjs/common';
import type { ExpiredStorageItem, Page } from '@seamless-ops/contracts';
import { CurrentOperator, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { ExpiredStoragesService } from './expired-storages.service';

@Controller('api/ops/storages')
export class ExpiredStoragesController {
  constructor(private readonly storages: ExpiredStoragesService) {}

  @Get('expired')
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<Page<ExpiredStorageItem>> {
    return this.storages.list(operator, query);
  }
}
