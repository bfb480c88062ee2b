import { Router, type Request, type Response } from 'express';
import { formatAmount } from '../money';
import type { SimulatorContext } from '../context';
import { readFormBody } from '../http/form-body';
import { completePayment, PaymentAlreadyCompletedError } from './complete';
import { OUTCOMES, parseOutcome, type Outcome, type SimulatedPayment } from './payments';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

const LABELS: Record<Outcome, string> = {
  SUCCESS: 'Pay (SUCCESS)',
  CANCEL: 'Cancel (CANCEL)',
  FAILURE: 'Decline (FAILURE)',
  PENDING_SUCCESS: 'PENDING, then SUCCESS',
  PENDING_FAILURE: 'PENDING, then FAILURE',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · QENTA gateway simulator</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; color: #1d2733; }
  h1 { font-size: 1.3rem; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
  dt { color: #5a6775; } dd { margin: 0; } form { display: grid; gap: .5rem; margin-top: 1.5rem; }
  button { padding: .6rem; font-size: 1rem; cursor: pointer; } .note { color: #5a6775; font-size: .85rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function paymentPageHtml(payment: SimulatedPayment, action: string): string {
  const rows: Array<[string, string]> = [
    ['Merchant', `${payment.customerId}${payment.shopId ? ' / ' + payment.shopId : ''}`],
    ['Order number', payment.orderNumber],
    ['Description', payment.orderDescription],
    ['Amount', `${formatAmount(payment.amountMinor, payment.currencyCode)} ${payment.currencyCode}`],
    ['Payment type', payment.paymentType],
  ];
  const info = payment.paymentInformation;
  if (info?.['maskedPan']) rows.push(['Card', `${info['brand'] ?? ''} ${info['maskedPan']} (${info['expiry'] ?? ''})`]);
  if (info?.['bankAccountIban']) rows.push(['Account', `${info['accountOwner'] ?? ''} ${info['bankAccountIban']}`]);
  const list = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n  ');
  const buttons = OUTCOMES.map((o) => `<button type="submit" name="outcome" value="${o}">${escapeHtml(LABELS[o])}</button>`).join('\n  ');
  return page(
    'Payment',
    `<h1>QENTA Checkout Seamless — simulated payment page</h1>
<dl>
  ${list}
</dl>
<form method="post" action="${escapeHtml(action)}">
  ${buttons}
</form>
<p class="note">The gateway confirms the outcome to the shop's confirmUrl, then redirects this browser to the shop.</p>`,
  );
}

/** Resolves when the response has been sent (or the connection closed). */
export function responseFinished(res: Response): Promise<void> {
  return new Promise((resolve) => {
    res.once('finish', () => resolve());
    res.once('close', () => resolve());
  });
}

/** The hosted payment page at `redirectUrl` (PROTOCOL.md §7): GET shows it, POST picks the outcome. */
export function paymentPageRouter(ctx: SimulatorContext): Router {
  const router = Router();
  const path = '/seamless/frontend/:slug/select.php';
  const findPayment = (req: Request): SimulatedPayment | undefined => {
    const sid = typeof req.query['SID'] === 'string' ? req.query['SID'] : '';
    const payment = ctx.payments.get(sid);
    return payment && `${payment.customerId}${payment.shopId}_DESKTOP` === req.params['slug'] ? payment : undefined;
  };

  router.get(path, (req, res) => {
    const payment = findPayment(req);
    res.setHeader('Cache-Control', 'no-store');
    if (!payment) return void res.status(404).type('html').send(page('Unknown session', '<h1>This payment session does not exist.</h1>'));
    if (payment.state !== 'INITIATED') {
      return void res
        .status(409)
        .type('html')
        .send(page('Completed', `<h1>This payment was already completed (${escapeHtml(payment.outcome ?? payment.state)}).</h1>`));
    }
    res.type('html').send(paymentPageHtml(payment, `select.php?SID=${encodeURIComponent(payment.sid)}`));
  });

  router.post(path, async (req, res) => {
    const payment = findPayment(req);
    const body = await readFormBody(req);
    if (!payment) return void res.status(404).type('html').send(page('Unknown session', '<h1>This payment session does not exist.</h1>'));
    const outcome = body.ok ? parseOutcome(body.fields['outcome']) : undefined;
    if (!outcome) return void res.status(400).type('html').send(page('Bad request', `<h1>Pick one of: ${OUTCOMES.join(', ')}.</h1>`));
    try {
      const result = await completePayment(ctx, payment, outcome, responseFinished(res));
      res.redirect(303, result.location);
    } catch (e) {
      if (e instanceof PaymentAlreadyCompletedError) {
        return void res.status(409).type('html').send(page('Completed', `<h1>This payment was already completed (${escapeHtml(payment.outcome ?? '')}).</h1>`));
      }
      throw e;
    }
  });
  return router;
}
