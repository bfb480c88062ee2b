import { screen, within } from '@testing-library/react';
import { json, renderApp } from '../../../test/harness';
import { emptyPage, securityEvents } from '../../../test/fixtures';

describe('security events', () => {
  it('lists rejected confirmations with their reason and source', async () => {
    renderApp('/security-events', { 'GET /api/ops/security-events': securityEvents });
    const row = (await screen.findByText('responseFingerprint does not match')).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('Confirmation rejected');
    expect(row).toHaveTextContent('203.0.113.50');
    expect(within(row).getByRole('link')).toHaveAttribute('href', '/payments/pay_01HQ7ZK4M2');
  });

  it('has an empty state', async () => {
    renderApp('/security-events', { 'GET /api/ops/security-events': emptyPage() });
    expect(await screen.findByText('No security events in this range.')).toBeInTheDocument();
  });

  it('explains a refusal', async () => {
    renderApp('/security-events', {
      'GET /api/ops/security-events': json({ statusCode: 403, error: 'Forbidden', message: 'shop out of scope' }, 403),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load security events.You do not have access to this.');
  });

  it('explains an unreachable server', async () => {
    renderApp('/security-events', {
      'GET /api/ops/security-events': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('The server could not be reached.');
  });
});
