import { Router, type Request, type Response } from 'express';
import { findProduct } from '../catalog/products';
import { formText, redirect, sendHtml, type ShopContext } from '../http/context';
import { addToCart, CartError, cartTotals, removeFromCart, setQuantity, type Cart } from './cart';
import { cartPage } from './cart.page';

/** A form's quantity: blank means `fallback`; anything but digits is refused by the cart (NaN). */
function quantity(text: string, fallback: number): number {
  const t = text.trim();
  if (t === '') return fallback;
  return /^[0-9]{1,4}$/.test(t) ? Number(t) : NaN;
}

export function cartRouter(ctx: ShopContext): Router {
  const router = Router();

  router.get('/cart', (req, res) => {
    const session = ctx.sessions.of(req, res);
    const flash = session.flash;
    session.flash = null;
    sendHtml(res, cartPage(cartTotals(session.cart), flash));
  });

  /** Applies a change to the cart; a refused one shows the cart with the reason (400). */
  const change = (req: Request, res: Response, apply: (cart: Cart) => string | null, next = '/cart'): void => {
    const session = ctx.sessions.of(req, res);
    try {
      session.flash = apply(session.cart);
    } catch (e) {
      if (!(e instanceof CartError)) throw e;
      return sendHtml(res, cartPage(cartTotals(session.cart), null, e.message), 400);
    }
    redirect(res, next);
  };

  router.post('/cart/items', (req, res) => {
    const productId = formText(req, 'productId');
    change(
      req,
      res,
      (cart) => {
        addToCart(cart, productId, quantity(formText(req, 'quantity'), 1));
        return `Added ${findProduct(productId)?.name ?? productId} to your cart.`;
      },
      formText(req, 'returnTo') === '/' ? '/' : '/cart',
    );
  });

  router.post('/cart/items/:productId', (req, res) => {
    change(req, res, (cart) => {
      setQuantity(cart, String(req.params['productId']), quantity(formText(req, 'quantity'), 1));
      return null;
    });
  });

  router.post('/cart/items/:productId/remove', (req, res) => {
    change(req, res, (cart) => {
      removeFromCart(cart, String(req.params['productId']));
      return null;
    });
  });

  return router;
}
