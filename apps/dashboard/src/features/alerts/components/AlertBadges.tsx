import type { AlertItem, AlertSeverity, AlertStatus } from '@seamless-ops/contracts';
import { useQuery } from '@tanstack/react-query';
import { Badge, type BadgeTone } from '../../../components/StateBadge';
import { ALERT_SEVERITY_LABELS } from '../../../lib/labels';
import { useShopName } from '../../../lib/session';
import { alertQueries } from '../api/alert-queries';

const SEVERITY_TONES: Record<AlertSeverity, BadgeTone> = { info: 'info', warning: 'warning', critical: 'danger' };
const STATUS_TONES: Record<AlertStatus, BadgeTone> = { open: 'danger', acknowledged: 'warning', resolved: 'success' };

export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{ALERT_SEVERITY_LABELS[severity]}</Badge>;
}

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{ALERT_STATUS_LABELS[status]}</Badge>;
}

/** What an alert is about, in words: the shop's name and the payment type, or every shop; the raw scope on hover. */
export function AlertScope({ alert }: { alert: Pick<AlertItem, 'scope' | 'shopId' | 'paymentType'> }) {
  const shopName = useShopName();
  const where = alert.shopId === null ? 'All shops' : shopName(alert.shopId);
  return (
    <span title={alert.scope}>
      {where}
      {alert.paymentType && <span className="muted"> · {alert.paymentType}</span>}
    </span>
  );
}

/** A rule's title with its id, from `GET /api/ops/alerts/rules` (just the id until that answers, or if it fails). */
export function RuleName({ rule }: { rule: string }) {
  const rules = useQuery(alertQueries.rules());
  const title = rules.data?.rules.find((r) => r.rule === rule)?.title;
  if (!title) return <span className="mono">{rule}</span>;
  return (
    <>
      {title} <span className="mono">({rule})</span>
    </>
  );
}
