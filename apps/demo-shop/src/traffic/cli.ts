import { existsSync, readFileSync } from 'node:fs';
import { MixError, parseMix, type Mix } from './scenarios';
import { formatReport, runTraffic, TrafficError, type TrafficOptions } from './traffic';

export const TRAFFIC_USAGE = `usage: main.js traffic [options]

Plays shoppers through the real flow over HTTP: demo shop → ingester → gateway simulator.

  --shoppers N        how many shoppers (default 50 unless --duration is given)
  --rate R            new shoppers per second, Poisson arrivals (default 5; 0 = as fast as --concurrency allows)
  --concurrency C     shoppers in the shop at once, at most (default 50)
  --duration D        stop sending new shoppers after D (e.g. 90s, 10m, 1h; a plain number is seconds)
  --forever           keep sending shoppers until Ctrl-C / SIGTERM (a live trickle, e.g. with --rate 0.2)
  --seed S            reproduce a run: same seed, same shoppers (default random, printed)
  --mix M             scenario weights: JSON ({"success":50,"cancel":5}), name=weight,… or a JSON file path
  --think MS          mean pause between a shopper's steps in ms (default 400)
  --result-wait D     how long a result page waits for a final state (default 15s)
  --shop URL          the demo shop (default $SHOP_URL or http://127.0.0.1:3200)
  --ingester URL      the ingester, checked for readiness (default $INGESTER_URL or http://127.0.0.1:3000)
  --simulator URL     the gateway simulator (default $SIMULATOR_URL or http://127.0.0.1:3100)
  --quiet             no progress lines
  --json              print the report as JSON instead of the table

Scenarios: abandon-before-storage, abandon-after-storage, storage-expiry, success, cancel, failure,
pending-success, pending-failure, missing-confirmation, return-contradiction, altered-amount,
duplicate-confirmation. Exit status 1 when any HTTP answer was unexpected, 2 on bad usage.`;

export class UsageError extends Error {}

export function parseDuration(text: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) throw new UsageError(`"${text}" is not a duration such as 500ms, 30s, 10m or 1h`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * factor);
}

function url(name: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return value.replace(/\/+$/, '');
  } catch {
    throw new UsageError(`${name} must be an http(s) URL, got "${value}"`);
  }
}

function mixArgument(value: string): Mix {
  const text = !value.trim().startsWith('{') && !value.includes('=') && existsSync(value) ? readFileSync(value, 'utf8') : value;
  try {
    return parseMix(text);
  } catch (e) {
    if (e instanceof MixError) throw new UsageError(`--mix: ${e.message}`);
    throw e;
  }
}

export interface TrafficCommand {
  options: TrafficOptions;
  quiet: boolean;
  json: boolean;
}

/** Command-line arguments (after `traffic`) and the environment into runTraffic options. */
export function parseTrafficArgs(args: string[], env: NodeJS.ProcessEnv): TrafficCommand | 'help' {
  const options: TrafficOptions = {
    shopUrl: url('SHOP_URL', env['SHOP_URL'] || 'http://127.0.0.1:3200'),
    ingesterUrl: url('INGESTER_URL', env['INGESTER_URL'] || 'http://127.0.0.1:3000'),
    simulatorUrl: url('SIMULATOR_URL', env['SIMULATOR_URL'] || 'http://127.0.0.1:3100'),
  };
  let quiet = false;
  let json = false;
  let forever = false;
  const whole = (name: string, value: string, min: number): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min) throw new UsageError(`${name} must be a whole number ≥ ${min}, got "${value}"`);
    return Number(value);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quiet') {
      quiet = true;
      continue;
    }
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--forever') {
      forever = true;
      continue;
    }
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--shoppers':
        options.shoppers = whole(flag, value, 0);
        break;
      case '--rate': {
        const rate = Number(value);
        if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(rate >= 0)) throw new UsageError(`--rate must be a number ≥ 0, got "${value}"`);
        options.ratePerSecond = rate;
        break;
      }
      case '--concurrency':
        options.concurrency = whole(flag, value, 1);
        break;
      case '--duration':
        options.durationMs = parseDuration(value);
        break;
      case '--seed':
        options.seed = value;
        break;
      case '--mix':
        options.mix = mixArgument(value);
        break;
      case '--think':
        options.thinkTimeMs = whole(flag, value, 0);
        break;
      case '--result-wait':
        options.resultWaitMs = parseDuration(value);
        break;
      case '--shop':
        options.shopUrl = url(flag, value);
        break;
      case '--ingester':
        options.ingesterUrl = url(flag, value);
        break;
      case '--simulator':
        options.simulatorUrl = url(flag, value);
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (forever && (options.shoppers !== undefined || options.durationMs !== undefined)) throw new UsageError('--forever does not go with --shoppers or --duration');
  if (!forever && options.shoppers === undefined && options.durationMs === undefined) options.shoppers = 50;
  return { options, quiet, json };
}

/** `main.js traffic …`: runs, prints the summary, and answers the exit status. */
export async function trafficCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: TrafficCommand | 'help';
  try {
    command = parseTrafficArgs(args, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`traffic: ${e.message}\n\n${TRAFFIC_USAGE}`);
    return 2;
  }
  if (command === 'help') {
    console.log(TRAFFIC_USAGE);
    return 0;
  }
  const { options, quiet, json } = command;
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    if (++interrupts > 1) process.exit(130);
    console.error('stopping: no new shoppers; the ones in the shop finish (Ctrl-C again to quit now)');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let done = 0;
  let errors = 0;
  const progress = quiet
    ? undefined
    : setInterval(() => console.error(`${new Date().toISOString()} ${done} shoppers done, ${errors} with HTTP errors`), 5000);
  try {
    if (!quiet) {
      const amount = options.shoppers !== undefined ? `${options.shoppers} shoppers` : 'shoppers';
      const limit = options.durationMs !== undefined ? ` for ${options.durationMs / 1000} s` : options.shoppers === undefined ? ' until stopped' : '';
      console.error(`traffic: ${amount}${limit} at ${options.ratePerSecond ?? 5}/s into ${options.shopUrl} (simulator ${options.simulatorUrl})`);
    }
    const report = await runTraffic({
      ...options,
      signal: stop.signal,
      onShopper: (r) => {
        done++;
        if (r.httpErrors.length) errors++;
      },
    });
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.httpErrors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof TrafficError) {
      console.error(`traffic: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    if (progress) clearInterval(progress);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
