import { describe, expect, it } from 'vitest';
import { ALERT_RULES } from '../src/alerts/alert-rules';
import { loadAlertsConfig, settingEnvName } from '../src/alerts/alerts.config';
import { ConfigError, loadConfig } from '../src/config/config';

// The alerting settings (src/alerts/alerts.config.ts), read and validated by loadConfig with everything else.

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('alerting configuration', () => {
  it('defaults: every rule on with its default severity and settings, every minute, no channel', () => {
    const { alerts } = loadConfig({});
    expect(alerts).toMatchObject({ intervalMs: 60_000, runsKept: 500, webhookUrl: undefined, email: undefined });
    expect(Object.keys(alerts.rules)).toEqual(ALERT_RULES.map((r) => r.id));
    expect(alerts.rules['stale_pending']).toEqual({ enabled: true, severity: 'warning', settings: { initiatedMinutes: 45, pendingMinutes: 240, minCount: 1 } });
    expect(alerts.rules['success_rate_drop']).toEqual({
      enabled: true,
      severity: 'warning',
      settings: { windowMinutes: 60, minDropPercent: 20, minSample: 20, baselineDays: 7, minBaselineDays: 3, minBaselineSample: 50 },
    });
    expect(alerts.rules['amount_mismatch'].severity).toBe('critical');
    expect(alerts.rules['rejected_confirmation'].severity).toBe('critical');
    expect(alerts.rules['confirmation_latency_p95'].settings).toEqual({ windowMinutes: 60, thresholdSeconds: 600, minSample: 20 });
  });

  it('reads ALERT_<RULE>_<SETTING>, _ENABLED, _SEVERITY and the channels', () => {
    const { alerts } = loadConfig({
      ALERTS_INTERVAL_SECONDS: '30',
      ALERT_RUNS_KEPT: '100',
      ALERT_STALE_PENDING_INITIATED_MINUTES: '20',
      ALERT_TRAFFIC_SILENCE_ENABLED: 'off',
      ALERT_INIT_ERROR_RATE_SEVERITY: 'warning',
      ALERT_WEBHOOK_URL: 'https://hooks.slack.example/services/T0/B0/x',
      ALERT_SMTP_URL: 'smtp://mailer:secret@mail.example:2525',
      ALERT_EMAIL_TO: 'ops@example.com, oncall@example.com',
      ALERT_EMAIL_FROM: 'alerts@example.com',
    });
    expect(alerts).toMatchObject({
      intervalMs: 30_000,
      runsKept: 100,
      webhookUrl: 'https://hooks.slack.example/services/T0/B0/x',
      email: { smtpUrl: 'smtp://mailer:secret@mail.example:2525', from: 'alerts@example.com', to: ['ops@example.com', 'oncall@example.com'] },
    });
    expect(alerts.rules['stale_pending'].settings['initiatedMinutes']).toBe(20);
    expect(alerts.rules['traffic_silence'].enabled).toBe(false);
    expect(alerts.rules['init_error_rate'].severity).toBe('warning');
  });

  it('names every setting after its rule and key', () => {
    expect(settingEnvName('success_rate_drop', 'minBaselineDays')).toBe('ALERT_SUCCESS_RATE_DROP_MIN_BASELINE_DAYS');
    const names = ALERT_RULES.flatMap((r) => Object.keys(r.settings).map((k) => settingEnvName(r.id, k)));
    expect(new Set(names).size).toBe(names.length);
    // Every default lies within its own bounds.
    for (const rule of ALERT_RULES) for (const [key, spec] of Object.entries(rule.settings)) expect(spec.default, `${rule.id}.${key}`).toBeGreaterThanOrEqual(spec.min);
    for (const rule of ALERT_RULES) for (const [key, spec] of Object.entries(rule.settings)) expect(spec.default, `${rule.id}.${key}`).toBeLessThanOrEqual(spec.max);
  });

  it('refuses bad values with the other configuration problems, and misspelt ALERT_ variables; never prints SMTP passwords', () => {
    const problems = problemsOf({
      PORT: 'x',
      ALERTS_INTERVAL_SECONDS: '1',
      ALERT_STALE_PENDING_MINUTES: '30',
      ALERT_TRAFFIC_SILENCE_ENABLED: 'yes',
      ALERT_SUCCESS_RATE_DROP_SEVERITY: 'urgent',
      ALERT_SUCCESS_RATE_DROP_MIN_BASELINE_DAYS: '9',
      ALERT_WEBHOOK_URL: 'ftp://example.com/hook',
      ALERT_SMTP_URL: 'http://user:hunter2@mail.example',
      ALERT_EMAIL_TO: 'not-an-address',
    });
    expect(problems).toEqual([
      'PORT must be an integer from 0 to 65535 (got "x")',
      'ALERTS_INTERVAL_SECONDS must be an integer from 5 to 3600 (got "1")',
      'ALERT_WEBHOOK_URL must be a URL starting with http:// or https:// (got "ftp://example.com/hook")',
      'ALERT_SMTP_URL must be a URL starting with smtp:// or smtps:// (got "http://user:***@mail.example")',
      'ALERT_EMAIL_TO must list e-mail addresses separated by commas (got "not-an-address")',
      'ALERT_EMAIL_TO needs ALERT_SMTP_URL (the server to send through)',
      'ALERT_SUCCESS_RATE_DROP_SEVERITY must be one of info, warning, critical (got "urgent")',
      'ALERT_SUCCESS_RATE_DROP_MIN_BASELINE_DAYS (9) must not exceed ALERT_SUCCESS_RATE_DROP_BASELINE_DAYS (7)',
      'ALERT_TRAFFIC_SILENCE_ENABLED must be on or off (got "yes")',
      'ALERT_STALE_PENDING_MINUTES is not an alerting setting (see src/alerts/alerts.config.ts)',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problemsOf({ ALERT_SMTP_URL: 'smtp://mail.example' })).toEqual(['ALERT_EMAIL_TO is required with ALERT_SMTP_URL']);
    // The reader alone, as other callers may use it.
    const collected: string[] = [];
    loadAlertsConfig({ ALERT_RUNS_KEPT: '0' }, collected);
    expect(collected).toEqual(['ALERT_RUNS_KEPT must be an integer from 1 to 100000 (got "0")']);
  });
});
