import { screen, within } from '@testing-library/react';
import { json, renderApp } from '../../../test/harness';
import { paymentDetail } from '../../../test/fixtures';

describe('payment detail', () => {
  it('shows the header with state, amount, references, hold reason and mismatches inline', async () => {
    const { to } = renderApp('/payments/pay_01HQ7ZK4M2?shopId=shop-at', { 'GET /api/ops/payments/pay_01HQ7ZK4M2': paymentDetail });
    const summary = await screen.findByRole('region', { name: 'Payment summary' });
    expect(to('GET', '/api/ops/payments/pay_01HQ7ZK4M2')).toHaveLength(1);

    expect(within(summary).getByTitle('FAILURE')).toHaveTextContent('Failure');
    expect(summary.querySelector('.payment-amount')?.textContent).toBe('€1,234.50');
    expect(within(summary).getByText('23456789')).toBeInTheDocument();
    expect(within(summary).getByText('oi-9f1c2d7a')).toBeInTheDocument();
    expect(within(summary).getByText('C8734512903846')).toBeInTheDocument();
    expect(within(summary).getByText('Alpenshop Wien')).toBeInTheDocument();
    expect(within(summary).getByText(/1 \(\+1 duplicate\)/)).toBeInTheDocument();

    expect(screen.getByRole('note')).toHaveTextContent('On hold: confirmed amount 1234.00 EUR differs from initiated 1234.50 EUR');
    const mismatches = screen.getByRole('region', { name: 'Mismatches' });
    expect(mismatches).toHaveTextContent('Return contradicts confirmation');
    expect(mismatches).toHaveTextContent('returned to success page, confirmed FAILURE');
    // The breadcrumb leads back to the list with the same global filters.
    expect(screen.getByRole('link', { name: 'Payments' , current: false })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Breadcrumb' })).getByRole('link')).toHaveAttribute('href', '/payments?shopId=shop-at');
  });

  it('lists the timeline oldest first, each payload on demand', async () => {
    const { user } = renderApp('/payments/pay_01HQ7ZK4M2', { 'GET /api/ops/payments/pay_01HQ7ZK4M2': paymentDetail });
    const timeline = await screen.findByRole('list', { name: 'Timeline' });
    const entries = within(timeline).getAllByRole('listitem');
    expect(entries.map((entry) => entry.querySelector('.timeline-kind')?.textContent)).toEqual([
      'Storage initialized',
      'Payment initiated',
      'Confirmation received',
      'Consumer returned',
    ]);
    expect(within(entries[2]).getByText('2025-03-14 10:24:10 GMT+1')).toHaveAttribute('title', '2025-03-14 09:24:10 UTC');
    expect(entries[2]).toHaveTextContent('from 194.28.122.10');

    // An event without payload offers nothing to expand.
    expect(within(entries[3]).queryByRole('button')).not.toBeInTheDocument();

    expect(screen.queryByLabelText('Payload of Confirmation received')).not.toBeInTheDocument();
    const toggle = within(entries[2]).getByRole('button', { name: 'Show payload' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const payload = screen.getByLabelText('Payload of Confirmation received');
    expect(JSON.parse(payload.textContent ?? '')).toEqual(paymentDetail.timeline[0].payload);
    expect(payload).toHaveTextContent('"message": "Declined by issuer"');

    await user.click(within(entries[2]).getByRole('button', { name: 'Hide payload' }));
    expect(screen.queryByLabelText('Payload of Confirmation received')).not.toBeInTheDocument();
  });

  it('says when the payment does not exist or is out of reach', async () => {
    renderApp('/payments/pay_unknown', {
      'GET /api/ops/payments/pay_unknown': json({ statusCode: 404, error: 'Not Found', message: 'payment not found' }, 404),
    });
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('Could not load the payment.');
    expect(error).toHaveTextContent('Not found.');
  });
});
