import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RETURN_OUTCOMES, type ReturnOutcome } from '@seamless-ops/contracts';
import { clientAddress } from '../auth/client-address';
import { ReturnService } from './return.service';

@Controller('qenta/return')
export class ReturnController {
  constructor(private readonly returns: ReturnService) {}

  /** `GET /qenta/return/:outcome?paymentId=…&shopId=…`: record, then send the browser to the shop's page. */
  @Get(':outcome')
  async return(
    @Param('outcome') outcome: string,
    @Query('paymentId') paymentId: string | undefined,
    @Query('shopId') shopId: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!(RETURN_OUTCOMES as readonly string[]).includes(outcome)) throw new NotFoundException(`unknown outcome "${outcome}"`);
    const target = await this.returns.record(outcome as ReturnOutcome, { paymentId: str(paymentId), shopId: str(shopId) }, clientAddress(req));
    if (!target) throw new NotFoundException('no shop to return to');
    res.redirect(303, target);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
