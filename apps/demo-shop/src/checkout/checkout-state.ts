import { randomBytes } from 'node:crypto';

/** What the consumer typed on the details step (no payment data: that goes to the gateway only). */
export interface CheckoutDetails {
  email: string;
  firstname: string;
  lastname: string;
  address1: string;
  zipCode: string;
  city: string;
  country: string;
}

/** One checkout attempt: one orderIdent, at most one data storage and one payment. */
export interface Checkout {
  /** The shop's reference, sent with the storage init and reused for the payment (PROTOCOL.md §4.1). */
  orderIdent: string;
  startedAt: number;
  details: CheckoutDetails | null;
  storage: { storageId: string; javascriptUrl: string; expiresAt: string } | null;
  /** `checkout.step order-review` was reported (once per checkout). */
  reviewReported: boolean;
  paymentId: string | null;
  /** The gateway's payment page for paymentId (to send the consumer back there while it is still open). */
  redirectUrl: string | null;
  /** The payment init in flight: a second click on "Pay" waits for it instead of starting another. */
  paying: Promise<{ paymentId: string; redirectUrl: string }> | null;
}

export function newCheckout(now = Date.now()): Checkout {
  return { orderIdent: `shop-${randomBytes(8).toString('hex')}`, startedAt: now, details: null, storage: null, reviewReported: false, paymentId: null, redirectUrl: null, paying: null };
}

export const DEMO_DETAILS: CheckoutDetails = {
  email: 'jane.doe@example.com',
  firstname: 'Jane',
  lastname: 'Doe',
  address1: 'Mariahilfer Straße 1',
  zipCode: '1060',
  city: 'Wien',
  country: 'AT',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The details form, validated; `problems` is keyed by field for the form to show next to each input. */
export function parseDetails(body: Record<string, unknown>): { details?: CheckoutDetails; values: CheckoutDetails; problems: Partial<Record<keyof CheckoutDetails, string>> } {
  const text = (key: keyof CheckoutDetails): string => (typeof body[key] === 'string' ? (body[key] as string).trim().slice(0, 200) : '');
  const values: CheckoutDetails = {
    email: text('email'),
    firstname: text('firstname'),
    lastname: text('lastname'),
    address1: text('address1'),
    zipCode: text('zipCode'),
    city: text('city'),
    country: text('country').toUpperCase(),
  };
  const problems: Partial<Record<keyof CheckoutDetails, string>> = {};
  if (!EMAIL.test(values.email)) problems.email = 'Please enter an e-mail address.';
  if (!values.firstname) problems.firstname = 'Please enter your first name.';
  if (!values.lastname) problems.lastname = 'Please enter your last name.';
  if (!values.address1) problems.address1 = 'Please enter your street and number.';
  if (!values.zipCode) problems.zipCode = 'Please enter your postcode.';
  if (!values.city) problems.city = 'Please enter your city.';
  if (!/^[A-Z]{2}$/.test(values.country)) problems.country = 'Please choose a country.';
  return Object.keys(problems).length ? { values, problems } : { details: values, values, problems };
}
