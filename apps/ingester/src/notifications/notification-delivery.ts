/** One HTTP POST to a shop. Redirects are not followed (a 3xx is a failed attempt); the answer's body is discarded. */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, when the shop answered. */
  status: number | null;
  /** Why the attempt failed, safe to store and show (never the response body). */
  error: string | null;
  durationMs: number;
}

export async function postNotification(
  target: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: new Uint8Array(body),
      redirect: 'manual',
      signal,
    });
    await discardBody(response);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: elapsed() };
  } catch (error) {
    return { ok: false, status: null, error: describeFailure(error, signal, timeoutMs), durationMs: elapsed() };
  }
}

/** Nothing of the shop's answer is kept: drain a small body (so the connection can be reused), cut a big one off. */
async function discardBody(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    total += value.byteLength;
    if (total > 64 * 1024) {
      await reader.cancel();
      return;
    }
  }
}

function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timeout after ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return `network error ${cause.code}`;
  if (cause && typeof cause.message === 'string') return `network error: ${cause.message.slice(0, 200)}`;
  return `network error: ${error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200)}`;
}

/** The target without credentials, query or fragment: what may appear in logs and operator views. */
export function describeTarget(target: string): string {
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
