import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import type { Page, PaymentDetailResponse, PaymentListItem } from '@seamless-ops/contracts';
import { CurrentOperator, type AuthenticatedOperator } from '../../auth/operator-access';
import type { RawQuery } from '../ops-query';
import { OutOfScopeAuditInterceptor } from '../out-of-scope';
import { PaymentsService } from './payments.service';

@Controller('api/ops/payments')
@UseInterceptors(OutOfScopeAuditInterceptor)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  list(@CurrentOperator() operator: AuthenticatedOperator, @Query() query: RawQuery): Promise<Page<PaymentListItem>> {
    return this.payments.list(operator, query);
  }

  @Get(':paymentId')
  detail(@CurrentOperator() operator: AuthenticatedOperator, @Param('paymentId') paymentId: string): Promise<PaymentDetailResponse> {
    return this.payments.detail(operator, paymentId);
  }
}
