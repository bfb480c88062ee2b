import { ALERT_SEVERITIES, type AlertSeverity } from '@seamless-ops/contracts';
import { ALERT_RULES, type AlertRuleDefinition } from './alert-rules';

// The alerting part of the configuration, read by loadConfig (src/config/config.ts) from the same environment
// and validated with it: every problem is reported with the others, and a bad value stops the start.
//
//   ALERTS_INTERVAL_SECONDS   60     how often the rules run (one runner per tick across replicas; JOBS=on)
//   ALERT_RUNS_KEPT           500    rows of alert_rule_runs kept per rule
//   ALERT_WEBHOOK_URL         –      http(s) URL; JSON with a Slack-compatible `text`, on open and on resolve
//   ALERT_SMTP_URL            –      smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps://…
//   ALERT_EMAIL_TO            –      comma-separated recipients (required with ALERT_SMTP_URL)
//   ALERT_EMAIL_FROM          seamless-ops@localhost
//
// and per rule (ids in alert-rules.ts; the setting names in camelCase there, in SNAKE_CASE here):
//
//   ALERT_<RULE>_ENABLED      on|off (on)
//   ALERT_<RULE>_SEVERITY     info|warning|critical (the rule's default)
//   ALERT_<RULE>_<SETTING>    an integer within the setting's bounds, e.g. ALERT_STALE_PENDING_INITIATED_MINUTES=45

export interface AlertRuleConfig {
  enabled: boolean;
  severity: AlertSeverity;
  settings: Readonly<Record<string, number>>;
}

export interface AlertEmailConfig {
  /** smtp:// or smtps:// URL, credentials included (never logged: see redactUrl). */
  smtpUrl: string;
  from: string;
  to: string[];
}

export interface AlertsConfig {
  intervalMs: number;
  runsKept: number;
  webhookUrl: string | undefined;
  email: AlertEmailConfig | undefined;
  /** By rule id; every rule of ALERT_RULES has an entry. */
  rules: Readonly<Record<string, AlertRuleConfig>>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `ALERT_STALE_PENDING_INITIATED_MINUTES` for rule `stale_pending`, setting `initiatedMinutes`. */
export function settingEnvName(ruleId: string, setting: string): string {
  return `ALERT_${ruleId.toUpperCase()}_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+$/;

/** Reads the alerting settings; problems are added to `problems` (the caller throws one ConfigError for all). */
export function loadAlertsConfig(env: Env, problems: string[], rules: readonly AlertRuleDefinition[] = ALERT_RULES): AlertsConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const onOff = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (raw !== 'on' && raw !== 'off') problems.push(`${name} must be on or off (got "${raw}")`);
    return raw === 'on' || (raw !== 'off' && fallback);
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol) || !parsed.hostname) {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${raw.replace(/\/\/([^:/@]*):.*@/, '//$1:***@')}")`);
      return undefined;
    }
    return raw;
  };

  const intervalMs = integer('ALERTS_INTERVAL_SECONDS', 60, 5, 3600) * 1000;
  const runsKept = integer('ALERT_RUNS_KEPT', 500, 1, 100_000);
  const webhookUrl = url('ALERT_WEBHOOK_URL', ['http:', 'https:']);

  const smtpUrl = url('ALERT_SMTP_URL', ['smtp:', 'smtps:']);
  const from = read('ALERT_EMAIL_FROM') ?? 'seamless-ops@localhost';
  if (!EMAIL.test(from)) problems.push(`ALERT_EMAIL_FROM must be an e-mail address (got "${from}")`);
  const toRaw = read('ALERT_EMAIL_TO');
  const to = toRaw ? toRaw.split(',').map((a) => a.trim()).filter(Boolean) : [];
  for (const address of to) if (!EMAIL.test(address)) problems.push(`ALERT_EMAIL_TO must list e-mail addresses separated by commas (got "${address}")`);
  if (smtpUrl && to.length === 0) problems.push('ALERT_EMAIL_TO is required with ALERT_SMTP_URL');
  if (!smtpUrl && toRaw) problems.push('ALERT_EMAIL_TO needs ALERT_SMTP_URL (the server to send through)');

  const ruleConfigs: Record<string, AlertRuleConfig> = {};
  for (const rule of rules) {
    const prefix = `ALERT_${rule.id.toUpperCase()}`;
    const severityRaw = read(`${prefix}_SEVERITY`) ?? rule.severity;
    const severity = ALERT_SEVERITIES.find((s) => s === severityRaw);
    if (!severity) problems.push(`${prefix}_SEVERITY must be one of ${ALERT_SEVERITIES.join(', ')} (got "${severityRaw}")`);
    const settings: Record<string, number> = {};
    for (const [key, spec] of Object.entries(rule.settings)) settings[key] = integer(settingEnvName(rule.id, key), spec.default, spec.min, spec.max);
    if (settings['minBaselineDays'] !== undefined && settings['baselineDays'] !== undefined && settings['minBaselineDays'] > settings['baselineDays']) {
      problems.push(`${settingEnvName(rule.id, 'minBaselineDays')} (${settings['minBaselineDays']}) must not exceed ${settingEnvName(rule.id, 'baselineDays')} (${settings['baselineDays']})`);
    }
    ruleConfigs[rule.id] = { enabled: onOff(`${prefix}_ENABLED`, true), severity: severity ?? rule.severity, settings };
  }

  // A misspelt setting would silently keep its default: every ALERT_/ALERTS_ variable must be one we read.
  const known = new Set(['ALERTS_INTERVAL_SECONDS', 'ALERT_RUNS_KEPT', 'ALERT_WEBHOOK_URL', 'ALERT_SMTP_URL', 'ALERT_EMAIL_TO', 'ALERT_EMAIL_FROM']);
  for (const rule of rules) {
    for (const suffix of ['ENABLED', 'SEVERITY']) known.add(`ALERT_${rule.id.toUpperCase()}_${suffix}`);
    for (const key of Object.keys(rule.settings)) known.add(settingEnvName(rule.id, key));
  }
  for (const name of Object.keys(env)) {
    if (/^ALERTS?_/.test(name) && !known.has(name) && read(name) !== undefined) problems.push(`${name} is not an alerting setting (see src/alerts/alerts.config.ts)`);
  }

  return {
    intervalMs,
    runsKept,
    webhookUrl,
    email: smtpUrl && to.length ? { smtpUrl, from, to } : undefined,
    rules: ruleConfigs,
  };
}
