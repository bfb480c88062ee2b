import { setMaxListeners } from 'node:events';
import { seededRandom } from './random';
import { apportion, DEFAULT_MIX, PLANS, SCENARIOS, validateMix, type Mix, type ScenarioName } from './scenarios';
import { playShopper, type ShopperResult } from './shopper';

export interface TrafficOptions {
  shopUrl: string;
  /** The simulator's base URL (its control API: knobs, payment completion). */
  simulatorUrl: string;
  /** Checked for readiness before the first shopper (optional). */
  ingesterUrl?: string;
  /** How many shoppers; unset = until `durationMs` or `signal`. With a count the mix is apportioned exactly. */
  shoppers?: number;
  /** New shoppers per second (Poisson arrivals); 0 = as fast as `concurrency` allows. Default 5. */
  ratePerSecond?: number;
  /** Shoppers in the shop at once, at most. Default 50. */
  concurrency?: number;
  /** No new shoppers after this long. */
  durationMs?: number;
  /** Same seed, same shoppers (scenario order, carts, names, cards, pauses). Default: random, reported. */
  seed?: string;
  /** Scenario weights; default {@link DEFAULT_MIX}. */
  mix?: Mix;
  /** Mean pause between a shopper's steps. Default 400 ms. */
  thinkTimeMs?: number;
  /** How long a result page may wait for a final state. Default 15 s. */
  resultWaitMs?: number;
  /** Stops new arrivals and shortens pauses; the shoppers inside finish their current visit. */
  signal?: AbortSignal;
  /** Called as each shopper leaves. */
  onShopper?: (result: ShopperResult) => void;
}

export interface ScenarioSummary {
  scenario: ScenarioName;
  shoppers: number;
  abandoned: number;
  reachedResult: number;
  /** Result-page states seen last, e.g. { SUCCESS: 12, PENDING: 1 }. */
  resultStates: Record<string, number>;
  /** Shoppers whose visit did not end as the scenario should (informational). */
  unexpected: number;
  /** Unexpected HTTP answers (or none) — each one ended a shopper's visit. */
  httpErrors: number;
}

export interface TrafficReport {
  seed: string;
  startedAt: string;
  durationMs: number;
  requests: number;
  shoppers: ShopperResult[];
  scenarios: ScenarioSummary[];
  httpErrors: number;
}

export class TrafficError extends Error {}

async function ready(name: string, url: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.ok) return;
    throw new TrafficError(`${name} at ${url} answered ${res.status}`);
  } catch (e) {
    if (e instanceof TrafficError) throw e;
    throw new TrafficError(`${name} is not reachable at ${url} (${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)})`);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Plays shoppers through the real flow over HTTP (shop → ingester → simulator) with the given mix, and
 * reports per scenario. Reused by `npm start`'s live trickle, the history seeding, benchmarks and tests.
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficReport> {
  const mix = validateMix({ ...(options.mix ?? DEFAULT_MIX) });
  const seed = options.seed ?? String(Math.floor(Math.random() * 1e9));
  const rate = options.ratePerSecond ?? 5;
  const concurrency = Math.max(1, options.concurrency ?? 50);
  const total = options.shoppers;
  if (total === undefined && options.durationMs === undefined && !options.signal) throw new TrafficError('give a number of shoppers, a duration or an abort signal');
  if (total !== undefined && (!Number.isInteger(total) || total < 0)) throw new TrafficError('shoppers must be a whole number ≥ 0');

  const shopUrl = options.shopUrl.replace(/\/+$/, '');
  const simulatorUrl = options.simulatorUrl.replace(/\/+$/, '');
  await ready('the demo shop', `${shopUrl}/health`);
  await ready('the gateway simulator', `${simulatorUrl}/health`);
  if (options.ingesterUrl) await ready('the ingester', `${options.ingesterUrl.replace(/\/+$/, '')}/health/ready`);

  const master = seededRandom(`${seed}:arrivals`);
  const planned: ScenarioName[] | null =
    total === undefined
      ? null
      : master.shuffle(Object.entries(apportion(total, mix)).flatMap(([name, n]) => Array.from({ length: n }, () => name as ScenarioName)));
  const scenarioOf = (index: number): ScenarioName => (planned ? (planned[index] as ScenarioName) : seededRandom(`${seed}:scenario:${index}`).weighted(mix));

  // One stop signal for every shopper's pauses (each listens while it sleeps): many listeners are expected.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const signal = stop.signal;

  const started = Date.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const results: ShopperResult[] = [];
  const running = new Set<Promise<void>>();
  const env = { shopUrl, simulatorUrl, thinkTimeMs: options.thinkTimeMs ?? 400, resultWaitMs: options.resultWaitMs ?? 15_000, signal };

  for (let index = 0; total === undefined || index < total; index++) {
    if (signal.aborted || Date.now() >= deadline) break;
    if (index > 0 && rate > 0) await sleep(Math.min(master.exponential(1000 / rate), Math.max(0, deadline - Date.now())), signal);
    while (running.size >= concurrency) await Promise.race(running);
    if (signal.aborted || Date.now() >= deadline) break;
    const run = playShopper(index, scenarioOf(index), seededRandom(`${seed}:shopper:${index}`), env).then((r) => {
      results.push(r);
      options.onShopper?.(r);
    });
    const tracked = run.finally(() => running.delete(tracked));
    running.add(tracked);
  }
  await Promise.all(running);

  results.sort((a, b) => a.index - b.index);
  const scenarios = summarize(results);
  return {
    seed,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    requests: results.reduce((s, r) => s + r.requests, 0),
    shoppers: results,
    scenarios,
    httpErrors: scenarios.reduce((s, x) => s + x.httpErrors, 0),
  };
}

export function summarize(results: ShopperResult[]): ScenarioSummary[] {
  return SCENARIOS.map((scenario) => {
    const mine = results.filter((r) => r.scenario === scenario);
    const resultStates: Record<string, number> = {};
    for (const r of mine) if (r.ended === 'result' && r.resultState) resultStates[r.resultState] = (resultStates[r.resultState] ?? 0) + 1;
    return {
      scenario,
      shoppers: mine.length,
      abandoned: mine.filter((r) => r.ended === 'abandoned').length,
      reachedResult: mine.filter((r) => r.ended === 'result').length,
      resultStates,
      unexpected: mine.filter((r) => r.ended !== 'error' && !r.asExpected).length,
      httpErrors: mine.reduce((s, r) => s + r.httpErrors.length, 0),
    };
  }).filter((s) => s.shoppers > 0);
}

/** The table printed at the end of a run. */
export function formatReport(report: TrafficReport): string {
  const header = ['scenario', 'shoppers', 'abandoned', 'result page', 'result states (expected)', 'unexpected', 'HTTP errors'];
  const rows = report.scenarios.map((s) => [
    s.scenario,
    String(s.shoppers),
    String(s.abandoned),
    String(s.reachedResult),
    Object.keys(s.resultStates).length
      ? `${Object.entries(s.resultStates).map(([k, v]) => `${k} ${v}`).join(', ')} (${PLANS[s.scenario].expect})`
      : PLANS[s.scenario].abandonAt
        ? `— (leaves at ${PLANS[s.scenario].abandonAt})`
        : '—',
    String(s.unexpected),
    String(s.httpErrors),
  ]);
  const sum = (k: keyof ScenarioSummary) => String(report.scenarios.reduce((a, s) => a + (s[k] as number), 0));
  rows.push(['total', sum('shoppers'), sum('abandoned'), sum('reachedResult'), '', sum('unexpected'), sum('httpErrors')]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1] as string[])];
  const seconds = report.durationMs / 1000;
  out.push('');
  out.push(`${report.shoppers.length} shoppers, ${report.requests} HTTP requests in ${seconds.toFixed(1)} s (${(report.shoppers.length / Math.max(seconds, 0.001)).toFixed(1)} shoppers/s), seed ${report.seed}`);
  const errors = report.shoppers.flatMap((r) => r.httpErrors.map((e) => ({ ...e, scenario: r.scenario, index: r.index })));
  if (errors.length) {
    out.push('', `HTTP errors (${errors.length}${errors.length > 10 ? ', first 10' : ''}):`);
    for (const e of errors.slice(0, 10)) out.push(`  shopper ${e.index} (${e.scenario}) at "${e.step}": ${e.method} ${e.url} → ${e.status || 'no answer'} ${e.message}`);
  }
  return out.join('\n');
}
