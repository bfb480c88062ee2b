import { screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../../test/harness';
import { emptyPage, pendingResponse } from '../../../test/fixtures';

describe('pending payments', () => {
  it('draws the aging chart over every age bucket in order, zero where the API sent none', async () => {
    renderApp('/pending', { 'GET /api/ops/pending': pendingResponse });
    const chart = await screen.findByRole('figure', { name: 'Pending payments by age' });
    // Recharts draws no rectangle for a zero count: four buckets hold payments.
    // Recharts lays out after its first render: wait for the bars.
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4));
    const labels = [...chart.querySelectorAll('.recharts-label-list text')].map((t) => t.textContent);
    expect(labels).toEqual(['3', '1', '2', '1']);
    expect(chart.querySelector('figcaption')).toHaveTextContent('<5m: 3, 5-15m: 0, 15-60m: 1, 1-6h: 2, 6-24h: 0, >24h: 1');
    expect(screen.getByText('7 pending in total')).toBeInTheDocument();
  });

  it('lists the pending payments oldest first with their age', async () => {
    renderApp('/pending', { 'GET /api/ops/pending': pendingResponse });
    const table = await screen.findByRole('table', { name: 'Pending payments, oldest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('link')[0].textContent)).toEqual(['pay_old_1', 'pay_mid_2', 'pay_new_3']);
    expect(rows[0]).toHaveTextContent('1 d 2 h');
    expect(rows[0]).toHaveTextContent('>24h');
    expect(rows[0]).toHaveTextContent('Initiated');
    expect(rows[1]).toHaveTextContent('2 h 5 min');
    expect(rows[2]).toHaveTextContent('2 min 5 s');
    expect(within(rows[0]).getByRole('link')).toHaveAttribute('href', '/payments/pay_old_1');
  });

  it('has an empty state', async () => {
    renderApp('/pending', { 'GET /api/ops/pending': { ...emptyPage(), total: 0, ageBuckets: [] } });
    expect(await screen.findByText(/Nothing is pending/)).toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });
});

describe('pending filters', () => {
  it('narrows by shop and payment type but not by the time range', async () => {
    const { to } = renderApp('/pending?range=1h&shopId=shop-at&paymentType=CCARD', { 'GET /api/ops/pending': pendingResponse });
    await screen.findByRole('table', { name: 'Pending payments, oldest first' });
    const params = to('GET', '/api/ops/pending')[0].url.searchParams;
    expect(Object.fromEntries(params)).toEqual({ shopId: 'shop-at', paymentType: 'CCARD' });
  });
});
