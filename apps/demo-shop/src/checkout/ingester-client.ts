import type {
  ApiError,
  CheckoutEventRequest,
  InitPaymentRequest,
  InitPaymentResponse,
  InitStorageRequest,
  InitStorageResponse,
  PaymentStatusResponse,
  StorageStatusResponse,
} from '@seamless-ops/contracts';

/** A refusal or failure of the checkout API, with the ingester's own words. */
export class IngesterError extends Error {
  constructor(
    /** The ingester's HTTP status; 0 when it could not be reached or did not answer in time. */
    readonly status: number,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'IngesterError';
  }
}

/**
 * The shop's side of the ingester's checkout API (ARCHITECTURE §6): JSON with `Authorization: Bearer <key>`.
 * Every non-2xx answer becomes an {@link IngesterError} carrying the ApiError's message and details.
 */
export class IngesterClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 20_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  initStorage(request: InitStorageRequest): Promise<InitStorageResponse> {
    return this.call('POST', '/api/checkout/storages', request);
  }

  storageStatus(storageId: string): Promise<StorageStatusResponse> {
    return this.call('GET', `/api/checkout/storages/${encodeURIComponent(storageId)}`);
  }

  initPayment(request: InitPaymentRequest): Promise<InitPaymentResponse> {
    return this.call('POST', '/api/checkout/payments', request);
  }

  paymentStatus(paymentId: string): Promise<PaymentStatusResponse> {
    return this.call('GET', `/api/checkout/payments/${encodeURIComponent(paymentId)}`);
  }

  async reportEvent(event: CheckoutEventRequest): Promise<void> {
    await this.call('POST', '/api/checkout/events', event);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new IngesterError(0, timedOut ? `the payment service did not answer within ${Math.round(this.timeoutMs / 1000)} s` : 'the payment service cannot be reached');
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) {
      return parsed as T;
    }
    const error = parsed as Partial<ApiError> | undefined;
    const message = typeof error?.message === 'string' && error.message ? error.message : `HTTP ${res.status} ${res.statusText}`.trim();
    const details = Array.isArray(error?.details) ? error.details.map(String) : [];
    throw new IngesterError(res.status, message, details);
  }
}
