import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import { cartRouter } from './cart/cart.routes';
import { cartTotals } from './cart/cart';
import { catalogPage } from './catalog/catalog.page';
import { findProduct, productSvg } from './catalog/products';
import { checkoutRouter } from './checkout/checkout.routes';
import { cartCount, sendHtml, setCsp, type ShopContext } from './http/context';
import { CARD_FORM_JS, FAVICON_SVG, RESULT_JS, SHOP_CSS, STORAGE_FALLBACK_JS } from './pages/assets';
import { errorPage, servicePage } from './pages/info.pages';

export interface AppOptions {
  /** One line per request: method, path (never the query string), status, duration. */
  logRequests?: boolean;
}

/** Form posts must come from the shop's own pages (SameSite=Lax cookies do most of this; the Origin header the rest). */
function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin || origin === 'null') return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

function asset(res: Response, type: string, body: string): void {
  res.type(type).setHeader('Cache-Control', 'public, max-age=300').send(body);
}

/** Wires the shop: catalogue, cart, checkout, help, assets, /health. */
export function createApp(ctx: ShopContext, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  if (options.logRequests) {
    app.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        ctx.log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`);
      });
      next();
    });
  }

  app.use((_req, res, next) => {
    setCsp(res);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });

  app.get('/health', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok', sessions: ctx.sessions.size });
  });

  app.get('/assets/shop.css', (_req, res) => asset(res, 'text/css', SHOP_CSS));
  app.get('/assets/favicon.svg', (_req, res) => asset(res, 'image/svg+xml', FAVICON_SVG));
  app.get('/assets/card-form.js', (_req, res) => asset(res, 'application/javascript', CARD_FORM_JS));
  app.get('/assets/result.js', (_req, res) => asset(res, 'application/javascript', RESULT_JS));
  app.get('/assets/storage-fallback.js', (_req, res) => asset(res, 'application/javascript', STORAGE_FALLBACK_JS));
  app.get('/assets/products/:file', (req, res, next) => {
    const product = findProduct(String(req.params['file']).replace(/\.svg$/, ''));
    if (!product) return next();
    asset(res, 'image/svg+xml', productSvg(product));
  });

  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use((req, res, next) => {
    if (req.method === 'POST' && req.path !== '/checkout/storage-fallback' && !sameOrigin(req)) {
      return sendHtml(res, errorPage({ status: 403, title: 'Request refused', message: 'This form was sent from another site, so we did not act on it.' }), 403);
    }
    next();
  });

  app.get('/', (req, res) => {
    const session = ctx.sessions.of(req, res);
    const flash = session.flash;
    session.flash = null;
    sendHtml(res, catalogPage(cartTotals(session.cart).itemCount, flash));
  });
  app.get('/service', (req, res) => sendHtml(res, servicePage(cartCount(ctx.sessions.of(req, res)))));

  app.use(cartRouter(ctx));
  app.use(checkoutRouter(ctx));

  app.use((req, res) => {
    sendHtml(res, errorPage({ status: 404, title: 'Page not found', message: `There is nothing at ${req.path}.`, action: { href: '/', label: 'Go to the shop' } }), 404);
  });

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 500) ctx.log(`error on ${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const clientError = status >= 400 && status < 500;
    sendHtml(
      res,
      errorPage({
        status: clientError ? status : 500,
        title: clientError ? 'That request could not be read' : 'Something went wrong on our side',
        message: clientError ? 'The form sent was too large or malformed. Please try again.' : 'Please try again in a moment. Nothing was charged.',
        action: { href: '/', label: 'Go to the shop' },
      }),
      clientError ? status : 500,
    );
  };
  app.use(onError);
  return app;
}
