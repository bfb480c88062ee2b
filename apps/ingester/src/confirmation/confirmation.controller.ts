import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIRMATION_OK, confirmationNok } from '@seamless-ops/qenta';
import { clientAddress } from '../auth/client-address';
import { Metrics } from '../observability/metrics';
import { AdmissionLimit, CONFIRMATION_ADMISSION } from './admission';
import { ConfirmationService, type ConfirmationOutcome } from './confirmation.service';
import { BodyTooLargeError, readRawBody } from './raw-body';

/** Gateway limits a parameter value to 65,000 characters (PROTOCOL.md §1.3); real confirmations are a few KB. */
const BODY_LIMIT = 64 * 1024;
/** The gateway gets an answer within this, also when the database hangs: 503, never OK for something unstored. */
const ANSWER_WITHIN_MS = 4_500;

class AnswerTimeout extends Error {}

@Controller('qenta')
export class ConfirmationController {
  private readonly logger = new Logger('Confirmation');

  constructor(
    private readonly confirmations: ConfirmationService,
    private readonly metrics: Metrics,
    @Inject(CONFIRMATION_ADMISSION) private readonly admission: AdmissionLimit,
  ) {}

  /** `POST /qenta/confirm`: persist, then acknowledge. */
  @Post('confirm')
  @HttpCode(200)
  async confirm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const done = this.metrics.confirmationSeconds.startTimer();
    const answer = (status: number, result: string, body: string): void => {
      this.metrics.confirmations.inc({ result });
      done({ result });
      res.status(status).type('text/plain; charset=utf-8').send(body);
    };

    // Bounded queue: beyond the limit, refuse at once (the body is drained, not buffered) rather than wait for a
    // database connection that a slow database will not give in time.
    if (!this.admission.tryEnter()) {
      req.resume();
      return answer(503, 'shed', confirmationNok('too many confirmations in progress, please retry'));
    }
    try {
      await this.handleAdmitted(req, answer);
    } finally {
      this.admission.leave();
    }
  }

  private async handleAdmitted(req: Request, answer: (status: number, result: string, body: string) => void): Promise<void> {
    if (!req.is('application/x-www-form-urlencoded')) {
      req.resume();
      return answer(415, 'malformed', confirmationNok('expected application/x-www-form-urlencoded'));
    }
    let body: string;
    try {
      body = await readRawBody(req, BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return answer(413, 'malformed', confirmationNok('confirmation too large'));
      return answer(400, 'malformed', confirmationNok('unreadable body'));
    }

    let outcome: ConfirmationOutcome;
    let timer: NodeJS.Timeout | undefined;
    const work = this.confirmations.handle(body, clientAddress(req));
    try {
      outcome = await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new AnswerTimeout()), ANSWER_WITHIN_MS);
        }),
      ]);
    } catch (error) {
      // Database down or too slow: the gateway must retry later (a late commit is then seen as a duplicate).
      this.logger.error(`confirmation not stored: ${error instanceof AnswerTimeout ? 'timed out' : error instanceof Error ? error.message : String(error)}`);
      answer(503, 'unavailable', confirmationNok('temporarily unavailable, please retry'));
      // The admission slot is held until the database is done with this confirmation, so answered-but-still-waiting
      // work counts against the limit too.
      await work.catch(() => undefined);
      return;
    } finally {
      clearTimeout(timer);
    }

    switch (outcome.result) {
      case 'accepted':
      case 'duplicate':
      case 'orphan':
        return answer(200, outcome.result, CONFIRMATION_OK);
      case 'rejected':
        this.logger.warn(`confirmation rejected (${outcome.reason}) from ${clientAddress(req) ?? 'unknown address'}`);
        return answer(403, 'rejected', confirmationNok('confirmation rejected'));
      case 'malformed':
        return answer(400, 'malformed', confirmationNok(`malformed confirmation: ${outcome.reason}`));
    }
  }
}
