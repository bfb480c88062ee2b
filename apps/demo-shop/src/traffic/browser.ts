/** One unexpected answer (or none at all) during a shopper's visit. */
export interface HttpProblem {
  step: string;
  method: string;
  /** Origin and path, never the query string. */
  url: string;
  /** 0 when there was no answer (connection refused, timeout). */
  status: number;
  message: string;
}

export class UnexpectedAnswer extends Error {
  constructor(readonly problem: HttpProblem) {
    super(`${problem.step}: ${problem.method} ${problem.url} → ${problem.status || 'no answer'} ${problem.message}`);
    this.name = 'UnexpectedAnswer';
  }
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The absolute Location of a redirect. */
  location: string | null;
}

export interface RequestOptions {
  method?: string;
  /** A form (sent urlencoded) or a JSON value. */
  form?: Record<string, string>;
  json?: unknown;
  /** Statuses that are fine here; anything else is an {@link UnexpectedAnswer}. Default [200]. */
  expect?: number[];
  /** Send the shop's cookies (only to the shop's origin). Default: when the URL is on the shop. */
  headers?: Record<string, string>;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * A shopper's browser without JavaScript: remembers the shop's cookies, never follows redirects by itself
 * (each hop is a step of the flow), sends one User-Agent, and turns unexpected answers into errors.
 */
export class ShopperBrowser {
  private readonly cookies = new Map<string, string>();
  private readonly shopOrigin: string;
  requests = 0;

  constructor(
    shopUrl: string,
    readonly userAgent: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.shopOrigin = new URL(shopUrl).origin;
  }

  /** The Cookie header this browser sends to the shop. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(step: string, url: string, options: RequestOptions = {}): Promise<Answer> {
    const method = options.method ?? (options.form || options.json !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: 'text/html,application/json;q=0.9,*/*;q=0.8', ...options.headers };
    const target = new URL(url);
    if (target.origin === this.shopOrigin && this.cookies.size) headers['Cookie'] = this.cookieHeader();
    let body: string | undefined;
    if (options.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    this.requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(target, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (e) {
      throw new UnexpectedAnswer({ step, method, url: shortUrl(url), status: 0, message: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e) });
    }
    if (target.origin === this.shopOrigin) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = (pair ?? '').indexOf('=');
        if (eq > 0) this.cookies.set((pair as string).slice(0, eq).trim(), (pair as string).slice(eq + 1).trim());
      }
    }
    const location = res.headers.get('location');
    const answer: Answer = { status: res.status, headers: res.headers, text, location: location ? new URL(location, target).toString() : null };
    const expected = options.expect ?? [200];
    if (!expected.includes(res.status)) {
      throw new UnexpectedAnswer({ step, method, url: shortUrl(url), status: res.status, message: summary(text) });
    }
    return answer;
  }

  /** GET or POST that must answer a redirect; answers its absolute Location. */
  async redirect(step: string, url: string, options: RequestOptions = {}): Promise<string> {
    const answer = await this.request(step, url, { expect: [302, 303], ...options });
    if (!answer.location) throw new UnexpectedAnswer({ step, method: options.method ?? 'GET', url: shortUrl(url), status: answer.status, message: 'redirect without Location' });
    return answer.location;
  }
}

/** The gist of an error answer: an ApiError's message, the error page's upstream message, or the start of the text. */
function summary(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    /* HTML or plain text */
  }
  const upstream = /data-testid="upstream-message">([^<]*)</.exec(text)?.[1];
  if (upstream) return unescapeHtml(upstream);
  const title = /<h1[^>]*>([^<]*)</.exec(text)?.[1];
  return unescapeHtml(title ?? text.replace(/\s+/g, ' ').slice(0, 160));
}

export function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
}

/** The value of the first `name="…"` attribute in a page, unescaped. */
export function attribute(html: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(html);
  return m ? unescapeHtml(m[1] as string) : undefined;
}
