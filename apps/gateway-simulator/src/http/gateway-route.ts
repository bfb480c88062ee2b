import type { Request, RequestHandler, Response, Router } from 'express';
import type { FormFields } from '@seamless-ops/qenta';
import { ERRORS } from '../gateway-errors';
import { readFormBody } from './form-body';
import { sendBodyProblem, sendErrors } from './wire';

export type GatewayHandler = (req: Request, res: Response, fields: FormFields) => Promise<void> | void;

/**
 * A server-to-server gateway endpoint: POST only (others get 405 with an error block), form-encoded only (403
 * otherwise, PROTOCOL.md §1), body ≤ 64 KB, strictly decoded (bad encoding and duplicate names are refused).
 */
export function gatewayPost(router: Router, path: string, handler: GatewayHandler, options: { backend?: boolean } = {}): void {
  const backend = options.backend ?? false;
  const post: RequestHandler = async (req, res) => {
    const body = await readFormBody(req);
    if (!body.ok) {
      sendBodyProblem(res, body.problem, backend);
      return;
    }
    await handler(req, res, body.fields);
  };
  router
    .route(path)
    .post(post)
    .all((_req, res) => {
      res.setHeader('Allow', 'POST');
      sendErrors(res, [ERRORS.methodNotAllowed], { backendStatus: backend ? 1 : undefined, httpStatus: 405 });
    });
}
