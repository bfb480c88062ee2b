import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, json, renderApp } from '../../../test/harness';
import { alert, alertRules, emptyPage, meFinance, meOperator, meViewer } from '../../../test/fixtures';

const SUMMARY = 'Success rate 41 % in the last hour (usual 88 %)';

function rowOf(summary: string): HTMLElement {
  return screen.getByRole('link', { name: summary }).closest('tr') as HTMLElement;
}

describe('alerts', () => {
  it('lists each alert with severity, check, scope, opened and last seen, status and the acknowledgement comment', async () => {
    renderApp(
      '/alerts',
      {
        'GET /api/ops/alerts': {
          items: [
            alert(),
            alert({
              id: '1041',
              rule: 'confirmation_latency_p95',
              severity: 'warning',
              status: 'acknowledged',
              summary: 'Confirmation p95 is 14 min 10 s (threshold 10 min)',
              scope: 'global',
              shopId: null,
              paymentType: null,
              acknowledgedAt: '2025-03-14T07:30:00.000Z',
              acknowledgedBy: 'anna.berger@alpenshop.example',
              ackComment: 'QENTA reports slow confirmations, ticket 4471',
            }),
          ],
          nextCursor: null,
        },
        'GET /api/ops/alerts/rules': alertRules,
      },
      meOperator,
    );
    await screen.findByRole('link', { name: SUMMARY });
    const open = rowOf(SUMMARY);
    expect(within(open).getByText('Critical')).toBeInTheDocument();
    // The check's title comes from the rules list.
    await waitFor(() => expect(open).toHaveTextContent('Success rate drop (success_rate_drop)'));
    expect(within(open).getByTitle('shop=shop-at,paymentType=CCARD')).toHaveTextContent('Alpenshop Wien · CCARD');
    expect(within(open).getByText('2025-03-14 09:00:00 GMT+1')).toHaveAttribute('title', '2025-03-14 08:00:00 UTC');
    expect(open).toHaveTextContent('last seen 2025-03-14 09:55:00 GMT+1');
    expect(within(open).getByText('Open')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: SUMMARY })).toHaveAttribute('href', '/alerts/1042');

    const acked = rowOf('Confirmation p95 is 14 min 10 s (threshold 10 min)');
    expect(acked).toHaveTextContent('Confirmation latency p95 (confirmation_latency_p95)');
    expect(within(acked).getByTitle('global')).toHaveTextContent('All shops');
    expect(within(acked).getByText('Acknowledged')).toBeInTheDocument();
    expect(acked).toHaveTextContent('by anna.berger@alpenshop.example');
    expect(acked).toHaveTextContent('QENTA reports slow confirmations, ticket 4471');
    // Only the open alert can be acknowledged.
    expect(screen.getAllByRole('button', { name: /^Acknowledge: / })).toHaveLength(1);
  });

  it('filters by status through the URL', async () => {
    const { user, to } = renderApp('/alerts?status=resolved&shopId=shop-at', { 'GET /api/ops/alerts': emptyPage() });
    expect(await screen.findByText('No resolved alerts in this range.')).toBeInTheDocument();
    const status = screen.getByRole('group', { name: 'Status' });
    expect(within(status).getByRole('button', { name: 'Resolved' })).toHaveAttribute('aria-pressed', 'true');
    const first = to('GET', '/api/ops/alerts')[0].url.searchParams;
    expect(first.get('status')).toBe('resolved');
    expect(first.get('shopId')).toBe('shop-at');
    expect(first.has('from') && first.has('to')).toBe(true);

    await user.click(within(status).getByRole('button', { name: 'Acknowledged' }));
    expect(currentUrl().params.get('status')).toBe('acknowledged');
    expect(await screen.findByText('No acknowledged alerts.')).toBeInTheDocument();
    expect(to('GET', '/api/ops/alerts').at(-1)!.url.searchParams.get('status')).toBe('acknowledged');

    await user.click(within(status).getByRole('button', { name: 'Open' }));
    expect(await screen.findByText('No open alerts.')).toBeInTheDocument();
    expect(to('GET', '/api/ops/alerts').at(-1)!.url.searchParams.get('status')).toBe('open');

    await user.click(within(status).getByRole('button', { name: 'All' }));
    expect(currentUrl().params.has('status')).toBe(false);
    expect(await screen.findByText('No alerts.')).toBeInTheDocument();
    expect(to('GET', '/api/ops/alerts').at(-1)!.url.searchParams.has('status')).toBe(false);
    expect(within(status).getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('acknowledges an alert with a comment, sending the CSRF token', async () => {
    let acknowledged = false;
    const { user, to } = renderApp(
      '/alerts',
      {
        'GET /api/ops/alerts': () =>
          json({
            items: [
              alert(
                acknowledged
                  ? {
                      status: 'acknowledged',
                      acknowledgedAt: '2025-03-14T08:30:00.000Z',
                      acknowledgedBy: meOperator.operator.email,
                      ackComment: 'Issuer outage at Visa AT, following up with QENTA',
                    }
                  : {},
              ),
              alert({ id: '1040', severity: 'warning', status: 'resolved', summary: '12 payments pending for over 6 h', resolvedAt: '2025-03-14T07:00:00.000Z' }),
            ],
            nextCursor: null,
          }),
        'POST /api/ops/alerts/1042/ack': () => {
          acknowledged = true;
          return json(alert({ status: 'acknowledged' }));
        },
      },
      meOperator,
    );
    await screen.findByRole('link', { name: SUMMARY });
    expect(screen.getAllByRole('button', { name: /^Acknowledge: / })).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: `Acknowledge: ${SUMMARY}` }));
    const form = screen.getByRole('form', { name: 'Acknowledge alert' });
    await user.type(within(form).getByLabelText('Comment'), 'Issuer outage at Visa AT, following up with QENTA');
    await user.click(within(form).getByRole('button', { name: 'Confirm acknowledgement' }));

    await waitFor(() => expect(to('POST', '/api/ops/alerts/1042/ack')).toHaveLength(1));
    const [ack] = to('POST', '/api/ops/alerts/1042/ack');
    expect(ack.headers.get('X-CSRF-Token')).toBe(meOperator.csrfToken);
    expect(ack.body).toEqual({ comment: 'Issuer outage at Visa AT, following up with QENTA' });

    // The list is reloaded and shows who acknowledged, and why.
    expect(await screen.findByText(/by lukas.huber@alpenshop.example/)).toBeInTheDocument();
    expect(rowOf(SUMMARY)).toHaveTextContent('Issuer outage at Visa AT, following up with QENTA');
    expect(screen.queryByRole('form', { name: 'Acknowledge alert' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Acknowledge: / })).not.toBeInTheDocument();
  });

  it('says so when someone else acknowledged first (409), and shows the alert as it now is', async () => {
    let gets = 0;
    const { user, to } = renderApp(
      '/alerts',
      {
        'GET /api/ops/alerts': () =>
          json({
            items: [
              ++gets === 1
                ? alert()
                : alert({ status: 'acknowledged', acknowledgedAt: '2025-03-14T08:29:00.000Z', acknowledgedBy: 'anna.berger@alpenshop.example' }),
            ],
            nextCursor: null,
          }),
        'POST /api/ops/alerts/1042/ack': json(
          { statusCode: 409, error: 'Conflict', message: 'alert is already acknowledged by anna.berger@alpenshop.example' },
          409,
        ),
      },
      meFinance,
    );
    await user.click(await screen.findByRole('button', { name: `Acknowledge: ${SUMMARY}` }));
    await user.type(screen.getByLabelText('Comment'), 'Looking into it');
    await user.click(screen.getByRole('button', { name: 'Confirm acknowledgement' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not acknowledged: alert is already acknowledged by anna.berger@alpenshop.example. The alert has been reloaded and shows its current state.',
    );
    await waitFor(() => expect(to('GET', '/api/ops/alerts')).toHaveLength(2));
    await waitFor(() => expect(rowOf(SUMMARY)).toHaveTextContent('Acknowledgedby anna.berger@alpenshop.example, 2025-03-14 09:29:00 GMT+1'));
    expect(screen.queryByRole('button', { name: 'Confirm acknowledgement' })).not.toBeInTheDocument();
    expect(to('POST', '/api/ops/alerts/1042/ack')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('form', { name: 'Acknowledge alert' })).not.toBeInTheDocument();
  });

  it('shows the failure when acknowledging is refused', async () => {
    const { user } = renderApp(
      '/alerts',
      {
        'GET /api/ops/alerts': { items: [alert()], nextCursor: null },
        'POST /api/ops/alerts/1042/ack': json({ statusCode: 403, error: 'Forbidden', message: 'CSRF token missing' }, 403),
      },
      meOperator,
    );
    await user.click(await screen.findByRole('button', { name: /^Acknowledge: / }));
    await user.click(screen.getByRole('button', { name: 'Confirm acknowledgement' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not acknowledge: You do not have access to this.');
  });

  it('offers no acknowledge to a viewer', async () => {
    renderApp('/alerts', { 'GET /api/ops/alerts': { items: [alert()], nextCursor: null } }, meViewer);
    await screen.findByRole('link', { name: SUMMARY });
    expect(screen.queryByRole('button', { name: /^Acknowledge: / })).not.toBeInTheDocument();
  });

  it('has an empty state', async () => {
    renderApp('/alerts', { 'GET /api/ops/alerts': emptyPage() });
    expect(await screen.findByText('No alerts.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
