import { screen, waitFor, within } from '@testing-library/react';
import { json, renderApp } from '../../../test/harness';
import { alert, alertDetail, alertRules, meOperator, meViewer } from '../../../test/fixtures';

describe('alert detail', () => {
  it('shows what the alert is about, the acknowledgement and its figures', async () => {
    renderApp('/alerts/1042?shopId=shop-at', { 'GET /api/ops/alerts/1042': alertDetail, 'GET /api/ops/alerts/rules': alertRules }, meOperator);
    const summary = await screen.findByRole('region', { name: 'Alert summary' });
    expect(within(summary).getByText('Critical')).toBeInTheDocument();
    expect(within(summary).getByText('Acknowledged', { selector: '.badge' })).toBeInTheDocument();
    expect(summary).toHaveTextContent('Success rate 41 % in the last hour (usual 88 %)');
    await waitFor(() => expect(summary).toHaveTextContent('Success rate drop (success_rate_drop)'));
    expect(within(summary).getByTitle('shop=shop-at,paymentType=CCARD')).toHaveTextContent('Alpenshop Wien · CCARD');
    expect(summary).toHaveTextContent('Last seen2025-03-14 09:55:00 GMT+1');
    expect(summary).toHaveTextContent('Acknowledgedby lukas.huber@alpenshop.example, 2025-03-14 09:20:00 GMT+1');
    expect(summary).toHaveTextContent('CommentIssuer outage at Visa AT, following up with QENTA');
    expect(within(summary).getByLabelText('Figures')).toHaveTextContent('successRate0.41baselineRate0.88finals34baselineFinals412');
    // Already acknowledged: nothing to do.
    expect(within(summary).queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Breadcrumb' })).getByRole('link', { name: 'Alerts' })).toHaveAttribute(
      'href',
      '/alerts?shopId=shop-at',
    );
  });

  it('lists the history in the order it was written: who did what, notifications with their attempts', async () => {
    renderApp('/alerts/1042', { 'GET /api/ops/alerts/1042': alertDetail }, meOperator);
    const history = await screen.findByRole('list', { name: 'History' });
    const entries = within(history).getAllByRole('listitem');
    expect(entries.map((entry) => entry.querySelector('.timeline-kind')?.textContent)).toEqual([
      'Opened',
      'Notification',
      'Notification',
      'Updated',
      'Acknowledged',
    ]);
    expect(entries[0]).toHaveTextContent('by the checks');
    expect(entries[0]).toHaveTextContent('Warning Success rate 52 % in the last hour (usual 88 %)');
    expect(within(entries[0]).getByText('2025-03-14 09:00:00 GMT+1')).toHaveAttribute('title', '2025-03-14 08:00:00 UTC');
    expect(entries[1]).toHaveTextContent('Webhook alert.opened failed attempt 1 HTTP 502 from hooks.example');
    expect(entries[2]).toHaveTextContent('Webhook alert.opened delivered attempt 2');
    expect(entries[3]).toHaveTextContent('Warning → Critical Success rate 41 % in the last hour (usual 88 %)');
    expect(entries[4]).toHaveTextContent('by lukas.huber@alpenshop.example');
    expect(entries[4]).toHaveTextContent('Issuer outage at Visa AT, following up with QENTA');
  });

  it('acknowledges an open alert from its page, with the CSRF token and the comment', async () => {
    let acknowledged = false;
    const open = { ...alert(), history: alertDetail.history.slice(0, 1) };
    const { user, to } = renderApp(
      '/alerts/1042',
      {
        'GET /api/ops/alerts/1042': () =>
          json(
            acknowledged
              ? {
                  ...open,
                  status: 'acknowledged',
                  acknowledgedAt: '2025-03-14T09:00:00.000Z',
                  acknowledgedBy: meOperator.operator.email,
                  ackComment: 'Rerouting CCARD to the backup acquirer',
                  history: [...open.history, { id: '510', occurredAt: '2025-03-14T09:00:00.000Z', kind: 'acknowledged', actor: meOperator.operator.email, detail: { comment: 'Rerouting CCARD to the backup acquirer' } }],
                }
              : open,
          ),
        'POST /api/ops/alerts/1042/ack': () => {
          acknowledged = true;
          return json(alert({ status: 'acknowledged' }));
        },
      },
      meOperator,
    );
    const summary = await screen.findByRole('region', { name: 'Alert summary' });
    await user.click(within(summary).getByRole('button', { name: 'Acknowledge' }));
    await user.type(within(summary).getByLabelText('Comment'), 'Rerouting CCARD to the backup acquirer');
    await user.click(within(summary).getByRole('button', { name: 'Confirm acknowledgement' }));

    await waitFor(() => expect(to('POST', '/api/ops/alerts/1042/ack')).toHaveLength(1));
    const [ack] = to('POST', '/api/ops/alerts/1042/ack');
    expect(ack.headers.get('X-CSRF-Token')).toBe(meOperator.csrfToken);
    expect(ack.body).toEqual({ comment: 'Rerouting CCARD to the backup acquirer' });

    const history = await screen.findByRole('list', { name: 'History' });
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(2));
    expect(summary).toHaveTextContent('CommentRerouting CCARD to the backup acquirer');
    expect(within(summary).queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
  });

  it('offers a viewer no acknowledge on an open alert', async () => {
    renderApp('/alerts/1042', { 'GET /api/ops/alerts/1042': { ...alert(), history: [] } }, meViewer);
    const summary = await screen.findByRole('region', { name: 'Alert summary' });
    expect(within(summary).getByText('Open')).toBeInTheDocument();
    expect(within(summary).queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    expect(screen.getByText('No history recorded.')).toBeInTheDocument();
  });

  it('says when the alert does not exist or is out of reach', async () => {
    renderApp('/alerts/99', { 'GET /api/ops/alerts/99': json({ statusCode: 404, error: 'Not Found', message: 'alert not found' }, 404) });
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('Could not load the alert.');
    expect(error).toHaveTextContent('Not found.');
  });
});
