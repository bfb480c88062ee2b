/**
 * A small Prometheus text-format registry: counters and histograms with labels. Enough for `GET /metrics`
 * without another dependency; every update is a map lookup and an addition, cheap on the confirmation path.
 */
type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ''} ${value}`);
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) s.buckets[i]++;
    s.sum += value;
    s.count++;
  }

  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(labels: Labels = {}): (more?: Labels) => void {
    const start = process.hrtime.bigint();
    return (more = {}) => this.observe(Number(process.hrtime.bigint() - start) / 1e9, { ...labels, ...more });
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const sep = key ? ',' : '';
      this.bounds.forEach((b, i) => lines.push(`${this.name}_bucket{${key}${sep}le="${b}"} ${s.buckets[i]}`));
      lines.push(`${this.name}_bucket{${key}${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ''} ${s.sum}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ''} ${s.count}`);
    }
    return lines.join('\n');
  }
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The ingester's metrics, one instance per process. */
export class Metrics {
  readonly confirmations = new Counter('seamless_confirmations_total', 'Confirmations received, by result (accepted, duplicate, orphan, rejected, malformed, unavailable).');
  readonly confirmationSeconds = new Histogram('seamless_confirmation_seconds', 'Time to answer a confirmation.', LATENCY_BUCKETS);
  readonly gatewayCalls = new Counter('seamless_gateway_calls_total', 'Calls to the gateway, by operation and result (ok, declined, unknown).');
  readonly gatewaySeconds = new Histogram('seamless_gateway_call_seconds', 'Gateway call latency, by operation.', LATENCY_BUCKETS);
  readonly returns = new Counter('seamless_consumer_returns_total', 'Browser returns, by outcome.');
  readonly notifications = new Counter('seamless_notifications_total', 'Outbound shop notifications, by result (sent, retry, failed).');
  readonly notificationSeconds = new Histogram('seamless_notification_seconds', 'Outbound shop notification attempt latency, by result (sent, error).', LATENCY_BUCKETS);
  readonly httpSeconds = new Histogram('seamless_http_request_seconds', 'HTTP request latency, by route and status class.', LATENCY_BUCKETS);

  private readonly all: Metric[] = [this.confirmations, this.confirmationSeconds, this.gatewayCalls, this.gatewaySeconds, this.returns, this.notifications, this.notificationSeconds, this.httpSeconds];

  render(): string {
    return this.all.map((m) => m.render()).join('\n') + '\n';
  }
}
