import type { OperatorRole } from '@seamless-ops/contracts';
import { useEffect, type ReactNode } from 'react';
import { AlertDetailPage } from '../features/alerts/routes/AlertDetailPage';
import { AlertRulesPage } from '../features/alerts/routes/AlertRulesPage';
import { AlertsPage } from '../features/alerts/routes/AlertsPage';
import { ExpiredStoragesPage } from '../features/expired-storages/routes/ExpiredStoragesPage';
import { MismatchesPage } from '../features/mismatches/routes/MismatchesPage';
import { OverviewPage } from '../features/overview/routes/OverviewPage';
import { PaymentDetailPage } from '../features/payments/routes/PaymentDetailPage';
import { PaymentsPage } from '../features/payments/routes/PaymentsPage';
import { PendingPage } from '../features/pending/routes/PendingPage';
import { ReconciliationPage } from '../features/reconciliation/routes/ReconciliationPage';
import { SecurityEventsPage } from '../features/security-events/routes/SecurityEventsPage';
import { Link, matchPath } from '../lib/router';

interface RouteDefinition {
  path: string;
  title: string;
  /** The nav entry highlighted on this route. */
  section: string;
  /** False where the page has no use for the top bar's time range (it reads days of its own). */
  timeRange?: boolean;
  render: (params: Record<string, string>) => ReactNode;
}

interface NavItem {
  path: string;
  label: string;
  /** Only these roles see the entry (the API refuses the others); every role when absent. */
  roles?: readonly OperatorRole[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'Overview' },
  { path: '/payments', label: 'Payments' },
  { path: '/pending', label: 'Pending' },
  { path: '/storages/expired', label: 'Expired storages' },
  { path: '/mismatches', label: 'Mismatches' },
  { path: '/security-events', label: 'Security events' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/reconciliation', label: 'Reconciliation', roles: ['finance', 'admin'] },
];

export function navItemsFor(role: OperatorRole): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || item.roles.includes(role));
}

const ROUTES: RouteDefinition[] = [
  { path: '/', title: 'Overview', section: '/', render: () => <OverviewPage /> },
  { path: '/payments', title: 'Payments', section: '/payments', render: () => <PaymentsPage /> },
  {
    path: '/payments/:paymentId',
    title: 'Payment',
    section: '/payments',
    render: ({ paymentId }) => <PaymentDetailPage key={paymentId} paymentId={paymentId} />,
  },
  { path: '/pending', title: 'Pending payments', section: '/pending', render: () => <PendingPage /> },
  { path: '/storages/expired', title: 'Expired storages', section: '/storages/expired', render: () => <ExpiredStoragesPage /> },
  { path: '/mismatches', title: 'Mismatches', section: '/mismatches', render: () => <MismatchesPage /> },
  { path: '/security-events', title: 'Security events', section: '/security-events', render: () => <SecurityEventsPage /> },
  { path: '/alerts', title: 'Alerts', section: '/alerts', render: () => <AlertsPage /> },
  // Before `/alerts/:alertId`: the first match wins.
  { path: '/alerts/checks', title: 'Alert checks', section: '/alerts', render: () => <AlertRulesPage /> },
  {
    path: '/alerts/:alertId',
    title: 'Alert',
    section: '/alerts',
    render: ({ alertId }) => <AlertDetailPage key={alertId} alertId={alertId} />,
  },
  { path: '/reconciliation', title: 'Reconciliation', section: '/reconciliation', timeRange: false, render: () => <ReconciliationPage /> },
];

export function findRoute(pathname: string): { route: RouteDefinition; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

export function RouteView({ pathname }: { pathname: string }) {
  const match = findRoute(pathname);
  const title = match?.route.title ?? 'Not found';
  useEffect(() => {
    document.title = `${title} · Seamless Ops`;
  }, [title]);
  if (!match) {
    return (
      <div className="state state-empty">
        <h1>Page not found</h1>
        <p>
          There is no page at <code>{pathname}</code>. <Link to="/">Go to the overview</Link>.
        </p>
      </div>
    );
  }
  return <>{match.route.render(match.params)}</>;
}
