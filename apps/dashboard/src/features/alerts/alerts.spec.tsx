import { screen, waitFor, within } from '@testing-library/react';
import { json, renderApp } from '../../../test/harness';
import { alert, emptyPage, meOperator, meViewer } from '../../../test/fixtures';

describe('alerts', () => {
  it('acknowledges an alert with a comment, sending the CSRF token', async () => {
    let acknowledged = false;
    const { user, to } = renderApp(
      '/alerts',
      {
        'GET /api/ops/alerts': () =>
          json({
            items: [
              alert(acknowledged ? { status: 'acknowledged', acknowledgedAt: '2025-03-14T08:30:00.000Z', acknowledgedBy: meOperator.operator.email } : {}),
              alert({ id: 'al-2', severity: 'warning', status: 'resolved', summary: '12 payments pending for over 6 h', resolvedAt: '2025-03-14T07:00:00.000Z' }),
            ],
            nextCursor: null,
          }),
        'POST /api/ops/alerts/al-1/ack': () => {
          acknowledged = true;
          return json(alert({ status: 'acknowledged' }));
        },
      },
      meOperator,
    );
    await screen.findByText('Success rate 41 % in the last hour (usual 88 %)');
    // Only the open alert can be acknowledged.
    expect(screen.getAllByRole('button', { name: /^Acknowledge/ })).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Acknowledge: Success rate 41 % in the last hour (usual 88 %)' }));
    const form = screen.getByRole('form', { name: 'Acknowledge alert' });
    await user.type(within(form).getByLabelText('Comment'), 'Issuer outage at Visa AT, following up with QENTA');
    await user.click(within(form).getByRole('button', { name: 'Confirm acknowledgement' }));

    await waitFor(() => expect(to('POST', '/api/ops/alerts/al-1/ack')).toHaveLength(1));
    const [ack] = to('POST', '/api/ops/alerts/al-1/ack');
    expect(ack.headers.get('X-CSRF-Token')).toBe(meOperator.csrfToken);
    expect(ack.body).toEqual({ comment: 'Issuer outage at Visa AT, following up with QENTA' });

    // The list is reloaded and shows who acknowledged.
    expect(await screen.findByText(/by lukas.huber@alpenshop.example/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Acknowledge alert' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
  });

  it('shows the failure when acknowledging is refused', async () => {
    const { user } = renderApp(
      '/alerts',
      {
        'GET /api/ops/alerts': { items: [alert()], nextCursor: null },
        'POST /api/ops/alerts/al-1/ack': json({ statusCode: 403, error: 'Forbidden', message: 'CSRF token missing' }, 403),
      },
      meOperator,
    );
    await user.click(await screen.findByRole('button', { name: /^Acknowledge/ }));
    await user.click(screen.getByRole('button', { name: 'Confirm acknowledgement' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not acknowledge: You do not have access to this.');
  });

  it('offers no acknowledge to a viewer', async () => {
    renderApp('/alerts', { 'GET /api/ops/alerts': { items: [alert()], nextCursor: null } }, meViewer);
    await screen.findByText('Success rate 41 % in the last hour (usual 88 %)');
    expect(screen.queryByRole('button', { name: /^Acknowledge/ })).not.toBeInTheDocument();
  });

  it('has an empty state until alerting lands', async () => {
    renderApp('/alerts', { 'GET /api/ops/alerts': emptyPage() });
    expect(await screen.findByText('No alerts.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
