import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

// Two ways of loading a server with distinct, pre-generated confirmation bodies:
// - closedLoop: autocannon, N connections each sending its next request as soon as the previous one is answered
//   (throughput);
// - openLoop: requests started on a fixed schedule (rate per second) whatever the answers, latency measured from
//   the scheduled start, so a stalled server cannot hide its queueing (wrk2-style, no coordinated omission).
//   autocannon's own `overallRate` sends each second's budget in a burst at the start of the second, which
//   measures bursts, not a steady rate.

/** Bodies handed out once each, in order. */
export class BodyFeed {
  cursor = 0;
  constructor(readonly bodies: readonly string[]) {}
  /** Index of the next body, or -1 when all have been used. */
  next(): number {
    return this.cursor < this.bodies.length ? this.cursor++ : -1;
  }
  get remaining(): number {
    return this.bodies.length - this.cursor;
  }
}

export interface LoadResult {
  mode: 'closed' | 'open';
  connections: number;
  /** Requested rate (open loop only). */
  targetRate?: number;
  seconds: number;
  sent: number;
  /** Answered 200 with the OK confirmation response. */
  ok: number;
  /** Answered, but not OK (status → count). */
  notOk: Record<string, number>;
  errors: number;
  /** Sent but not answered when the run ended (connections closed with requests in flight). */
  unanswered: number;
  /** OK answers per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Body indices answered OK. */
  okIndices: number[];
  /** Body indices sent (answered or not). */
  sentIndices: number[];
  /** The feed ran dry before the end. */
  exhausted: boolean;
}

const OK = 'result="OK"';

export async function closedLoop(baseUrl: string, feed: BodyFeed, connections: number, seconds: number): Promise<LoadResult> {
  const okIndices: number[] = [];
  const sentIndices: number[] = [];
  const notOk: Record<string, number> = {};
  let exhausted = false;
  const started = performance.now();
  const result = await autocannon({
    url: baseUrl,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/qenta/confirm',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        // autocannon calls this for every request; the context lives until the connection's next request.
        setupRequest: (req, context) => {
          const i = feed.next();
          if (i < 0) {
            exhausted = true;
            return req; // resends the previous body: counted as a duplicate, flagged below
          }
          (context as { i?: number }).i = i;
          sentIndices.push(i);
          return { ...req, body: feed.bodies[i] };
        },
        onResponse: (status, body, context) => {
          const i = (context as { i?: number }).i;
          if (status === 200 && body.includes(OK) && i !== undefined) okIndices.push(i);
          else notOk[status] = (notOk[status] ?? 0) + 1;
        },
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;
  const answered = okIndices.length + Object.values(notOk).reduce((a, b) => a + b, 0);
  return {
    mode: 'closed',
    connections,
    seconds: elapsed,
    sent: sentIndices.length,
    ok: okIndices.length,
    notOk,
    errors: result.errors,
    unanswered: Math.max(0, sentIndices.length - answered),
    rps: okIndices.length / elapsed,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    okIndices,
    sentIndices,
    exhausted,
  };
}

export async function openLoop(baseUrl: string, feed: BodyFeed, rate: number, seconds: number, maxSockets = 256): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const total = Math.floor(rate * seconds);
  const latencies = new Float64Array(total).fill(Infinity); // never answered = infinitely late
  const okIndices: number[] = [];
  const sentIndices: number[] = [];
  const notOk: Record<string, number> = {};
  let answered = 0;
  let errors = 0;
  let sent = 0;
  let exhausted = false;
  const start = performance.now();

  await new Promise<void>((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      clearTimeout(deadline);
      resolve();
    };
    const fire = (scheduled: number) => {
      const i = feed.next();
      if (i < 0) {
        exhausted = true;
        latencies[sent - 1] = NaN; // not sent at all
        if (++answered === total) finish();
        return;
      }
      sentIndices.push(i);
      const body = feed.bodies[i];
      const slot = sent - 1;
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/qenta/confirm',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            latencies[slot] = performance.now() - scheduled;
            if (res.statusCode === 200 && text.includes(OK)) okIndices.push(i);
            else notOk[res.statusCode ?? 0] = (notOk[res.statusCode ?? 0] ?? 0) + 1;
            if (++answered === total) finish();
          });
        },
      );
      req.on('error', () => {
        latencies[slot] = performance.now() - scheduled;
        errors++;
        if (++answered === total) finish();
      });
      req.end(body);
    };
    // Every millisecond, start every request whose scheduled time has come (timers are not finer than that).
    const ticker = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (sent < due) {
        sent++;
        fire(start + ((sent - 1) * 1000) / rate);
      }
    }, 1);
    // Requests still unanswered 10 s after the schedule ended are given up.
    const deadline = setTimeout(finish, seconds * 1000 + 10_000);
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const measured = Array.from(latencies.subarray(0, Math.min(sent, total)))
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const pct = (q: number) => (measured.length ? measured[Math.min(measured.length - 1, Math.floor(q * measured.length))] : NaN);
  const answeredCount = okIndices.length + Object.values(notOk).reduce((a, b) => a + b, 0) + errors;
  return {
    mode: 'open',
    connections: maxSockets,
    targetRate: rate,
    seconds: elapsed,
    sent: sentIndices.length,
    ok: okIndices.length,
    notOk,
    errors,
    unanswered: Math.max(0, sentIndices.length - answeredCount),
    rps: okIndices.length / Math.min(elapsed, seconds),
    p50: pct(0.5),
    p90: pct(0.9),
    p99: pct(0.99),
    max: measured.length ? measured[measured.length - 1] : NaN,
    okIndices,
    sentIndices,
    exhausted,
  };
}
