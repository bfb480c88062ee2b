import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { Badge } from '../../../components/StateBadge';
import { formatDuration } from '../../../lib/format';
import { alertQueries } from '../api/alert-queries';
import { AlertsTabs } from '../components/AlertsTabs';
import { RuleCard } from '../components/RuleCard';

function Channel({ label, on }: { label: string; on: boolean }) {
  return (
    <span className="channel">
      {label} {on ? <Badge tone="success">configured</Badge> : <Badge tone="neutral">not configured</Badge>}
    </span>
  );
}

/** The scheduled anomaly checks: tick interval, notification channels, each rule's settings and last run. */
export function AlertRulesPage() {
  const rules = useQuery(alertQueries.rules());
  return (
    <>
      <PageHeader title="Alert checks" description="The scheduled anomaly checks, their settings, and how each last ran." queries={[rules]} />
      <AlertsTabs current="checks" />
      <QueryState query={rules} what="the checks" isEmpty={(data) => data.rules.length === 0} empty={<p>No checks are defined.</p>}>
        {(data) => (
          <>
            {!data.scheduled && (
              <div className="banner banner-warning" role="note">
                Background jobs are off (<span className="mono">JOBS=off</span>): nothing evaluates these checks, so no alert opens
                or resolves.
              </div>
            )}
            <section className="card" aria-label="Schedule and notifications">
              <dl className="fields">
                <div className="field-pair">
                  <dt>Runs every</dt>
                  <dd>{formatDuration(data.intervalSeconds)}</dd>
                </div>
                <div className="field-pair">
                  <dt>Notifications</dt>
                  <dd>
                    <Channel label="Webhook" on={data.notifications.webhook} /> <Channel label="E-mail" on={data.notifications.email} />
                  </dd>
                </div>
              </dl>
            </section>
            {data.rules.map((rule) => (
              <RuleCard key={rule.rule} rule={rule} />
            ))}
          </>
        )}
      </QueryState>
    </>
  );
}
