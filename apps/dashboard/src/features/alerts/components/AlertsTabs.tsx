import { withGlobalFilters } from '../../../lib/filters';
import { Link, useSearchParams } from '../../../lib/router';

/** The two views of alerting: the alerts themselves, and the checks that raise them. */
export function AlertsTabs({ current }: { current: 'alerts' | 'checks' }) {
  const [params] = useSearchParams();
  return (
    <nav className="tabs" aria-label="Alerting">
      <Link to={withGlobalFilters('/alerts', params)} aria-current={current === 'alerts' ? 'page' : undefined}>
        Alerts
      </Link>
      <Link to={withGlobalFilters('/alerts/checks', params)} aria-current={current === 'checks' ? 'page' : undefined}>
        Checks
      </Link>
    </nav>
  );
}
