import type { AlertRuleItem, AlertRuleRun, AlertRuleSetting } from '@seamless-ops/contracts';
import { DateTime } from '../../../components/DateTime';
import { Badge } from '../../../components/StateBadge';
import { formatCount, formatMilliseconds } from '../../../lib/format';
import { SeverityBadge } from './AlertBadges';

/** A setting's value with its unit: "45 minutes", "20 %", "3 days", "5" (a count). */
export function formatSetting(value: number, unit: string): string {
  if (unit === 'count') return formatCount(value);
  if (unit === 'percent') return `${formatCount(value)} %`;
  return `${formatCount(value)} ${unit}`;
}

function LastRun({ run }: { run: AlertRuleRun | null }) {
  if (!run) return <p className="muted">Not run yet.</p>;
  return (
    <>
      <dl className="fields" aria-label="Last run">
        <div className="field-pair">
          <dt>Ran</dt>
          <dd>
            <DateTime value={run.startedAt} />
          </dd>
        </div>
        <div className="field-pair">
          <dt>Duration</dt>
          <dd>{formatMilliseconds(run.durationMs)}</dd>
        </div>
        <div className="field-pair">
          <dt>Result</dt>
          <dd>{run.result === 'ok' ? <Badge tone="success">ok</Badge> : <Badge tone="danger">error</Badge>}</dd>
        </div>
        <div className="field-pair">
          <dt>Findings</dt>
          <dd>{formatCount(run.findings)}</dd>
        </div>
        <div className="field-pair">
          <dt>Alerts opened</dt>
          <dd>{formatCount(run.alertsOpened)}</dd>
        </div>
        <div className="field-pair">
          <dt>Alerts resolved</dt>
          <dd>{formatCount(run.alertsResolved)}</dd>
        </div>
      </dl>
      {run.result === 'error' && (
        <p className="banner banner-warning" role="note">
          <strong>The last run failed:</strong> {run.message ?? 'no message recorded'}
        </p>
      )}
    </>
  );
}

function Settings({ settings }: { settings: readonly AlertRuleSetting[] }) {
  if (settings.length === 0) return <p className="muted small">No settings.</p>;
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Settings">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col" className="num">
              Default
            </th>
            <th scope="col">Environment variable</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {settings.map((setting) => (
            <tr key={setting.key}>
              <th scope="row" className="mono">
                {setting.key}
              </th>
              <td className="num">
                {formatSetting(setting.value, setting.unit)}
                {setting.value !== setting.default && (
                  <>
                    {' '}
                    <Badge tone="info">changed</Badge>
                  </>
                )}
              </td>
              <td className="num muted">{formatSetting(setting.default, setting.unit)}</td>
              <td className="mono small">{setting.env}</td>
              <td className="small">{setting.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One check: whether it is on, how severe its alerts are, its settings, its live alerts and its last run. */
export function RuleCard({ rule }: { rule: AlertRuleItem }) {
  const headingId = `rule-${rule.rule}`;
  return (
    <section className="card rule-card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>{rule.title}</h2>
        <div className="flag-list">
          {rule.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="neutral">disabled</Badge>}
          <SeverityBadge severity={rule.severity} />
        </div>
      </div>
      <p className="muted small">
        <span className="mono">{rule.rule}</span> · {rule.description}
      </p>
      <p className="small">
        Live alerts: <strong>{formatCount(rule.live.open)}</strong> open, <strong>{formatCount(rule.live.acknowledged)}</strong> acknowledged
      </p>
      <h3>Last run</h3>
      <LastRun run={rule.lastRun} />
      <h3>Settings</h3>
      <Settings settings={rule.settings} />
    </section>
  );
}
