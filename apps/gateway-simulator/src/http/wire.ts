import type { Response } from 'express';
import { encodeErrors, encodeForm, type BackendStatus, type FormFields } from '@seamless-ops/qenta';
import { ERRORS, localize, withMessage, type GatewayError } from '../gateway-errors';
import type { FormBodyProblem } from './form-body';

/** The gateway answers `key=value&…` (PROTOCOL.md §1); its Content-Type is not documented. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

export function sendForm(res: Response, fields: FormFields | ReadonlyArray<readonly [string, string]>, httpStatus = 200): void {
  res.status(httpStatus).type(FORM_CONTENT_TYPE).send(encodeForm(fields));
}

/** The error block with consumerMessage localized by `language`. */
export function errorFields(errors: readonly GatewayError[], language?: string, backendStatus?: BackendStatus): FormFields {
  return encodeErrors(
    errors.map((err) => localize(err, language)),
    backendStatus,
  );
}

/** Business errors: HTTP 200 with an error block; back-end answers add `status` (§9.2). */
export function sendErrors(
  res: Response,
  errors: readonly GatewayError[],
  options: { language?: string; backendStatus?: BackendStatus; httpStatus?: number } = {},
): void {
  sendForm(res, errorFields(errors, options.language, options.backendStatus), options.httpStatus ?? 200);
}

/** Transport-level problems: 403 for a wrong Content-Type (§1), 413/400 with an error block otherwise. */
export function sendBodyProblem(res: Response, problem: FormBodyProblem, backend: boolean): void {
  const backendStatus = backend ? 1 : undefined;
  switch (problem.kind) {
    case 'content-type':
      res.status(403).type('text/plain').send('Forbidden: Content-Type must be application/x-www-form-urlencoded\n');
      return;
    case 'too-large':
      res.setHeader('Connection', 'close');
      sendErrors(res, [ERRORS.requestTooLarge], { backendStatus, httpStatus: 413 });
      return;
    case 'malformed':
      sendErrors(res, [ERRORS.malformedRequest], { backendStatus, httpStatus: 400 });
      return;
    case 'duplicate':
      sendErrors(res, [withMessage(ERRORS.duplicateParameter, `Parameter was sent more than once: ${problem.names.join(', ')}.`)], {
        backendStatus,
        httpStatus: 400,
      });
      return;
  }
}
