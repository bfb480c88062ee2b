import { screen, waitFor, within } from '@testing-library/react';
import { json, renderApp } from '../../../test/harness';
import { emptyFunnel, funnel, overview } from '../../../test/fixtures';

function kpi(label: string): HTMLElement {
  const tiles = screen.getByRole('region', { name: 'Key figures' });
  const term = within(tiles).getByText(label, { selector: 'dt' });
  return term.closest('dl') as HTMLElement;
}

describe('overview', () => {
  it('shows the KPI tiles from the overview answer', async () => {
    renderApp('/', { 'GET /api/ops/overview': overview, 'GET /api/ops/funnel': funnel });
    await screen.findByRole('region', { name: 'Key figures' });

    expect(kpi('Conversion')).toHaveTextContent('41.3%');
    expect(kpi('Conversion')).toHaveTextContent('165 successful payments');
    expect(kpi('Success rate')).toHaveTextContent('86.8%');
    expect(kpi('Pending')).toHaveTextContent('7');
    expect(kpi('Open mismatches')).toHaveTextContent('3');
    expect(kpi('Open alerts')).toHaveTextContent('2');
    expect(kpi('Security events')).toHaveTextContent('5');
    // Tiles lead to their page, keeping the global filters.
    expect(kpi('Pending').closest('a')).toHaveAttribute('href', '/pending');
    expect(kpi('Conversion').closest('a')).toBeNull();
  });

  it('shows the funnel steps with conversion percentages and the named drop-offs', async () => {
    renderApp('/?shopId=shop-at', { 'GET /api/ops/overview': overview, 'GET /api/ops/funnel': funnel });
    const steps = await screen.findByRole('table', { name: 'Funnel steps' });
    const rows = within(steps).getAllByRole('row').slice(1).map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Checkout started', '400', '—', '100.0%'],
      ['Storage initialized', '360', '90.0%', '90.0%'],
      ['Payment data stored', '300', '83.3%', '75.0%'],
      ['Payment initiated', '200', '66.7%', '50.0%'],
      ['Confirmed', '190', '95.0%', '47.5%'],
      ['SUCCESS', '165', '86.8%', '41.3%'],
    ]);

    const dropOffs = within(screen.getByRole('list', { name: 'Drop-offs' })).getAllByRole('listitem').map((li) => li.textContent);
    expect(dropOffs).toEqual([
      'Storage expired4010.0%',
      'Payment init failed41.0%',
      'Cancelled153.8%',
      'Failed102.5%',
      'Still pending61.5%',
    ]);
  });

  it('draws the funnel as six bars labelled with their counts, and the success-rate line', async () => {
    const { container } = renderApp('/', { 'GET /api/ops/overview': overview, 'GET /api/ops/funnel': funnel });
    const chart = await screen.findByRole('figure', { name: 'Checkout funnel chart' });
    // Recharts lays out after its first render: wait for the bars.
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(6));
    const labels = [...chart.querySelectorAll('.recharts-label-list text')].map((t) => t.textContent);
    expect(labels).toEqual(['400', '360', '300', '200', '190', '165']);
    await waitFor(() =>
      expect(container.querySelector('figure[aria-label="Success rate over time chart"] .recharts-line-curve')).not.toBeNull(),
    );
  });

  it('asks for the funnel per hour for 24 h and per day for 30 d, with the shop and type filters', async () => {
    const first = renderApp('/?shopId=shop-at&paymentType=CCARD', { 'GET /api/ops/overview': overview, 'GET /api/ops/funnel': funnel });
    await screen.findByRole('table', { name: 'Funnel steps' });
    const request = first.to('GET', '/api/ops/funnel')[0].url.searchParams;
    expect(request.get('granularity')).toBe('hour');
    expect(request.get('shopId')).toBe('shop-at');
    expect(request.get('paymentType')).toBe('CCARD');
    expect(Date.parse(request.get('to') as string) - Date.parse(request.get('from') as string)).toBe(24 * 3600 * 1000);
    first.unmount();

    const second = renderApp('/?range=30d', { 'GET /api/ops/overview': overview, 'GET /api/ops/funnel': funnel });
    await screen.findByRole('table', { name: 'Funnel steps' });
    expect(second.to('GET', '/api/ops/funnel')[0].url.searchParams.get('granularity')).toBe('day');
  });

  it('shows an empty funnel and a failed KPI request as such', async () => {
    const { user, to } = renderApp('/', {
      'GET /api/ops/overview': (() => {
        let calls = 0;
        return () => (++calls === 1 ? json({ statusCode: 503, error: 'Service Unavailable', message: 'database down' }, 503) : json(overview));
      })(),
      'GET /api/ops/funnel': emptyFunnel,
    });
    expect(await screen.findByText('No checkouts in this range.')).toBeInTheDocument();
    const errors = await screen.findAllByRole('alert');
    expect(errors[0]).toHaveTextContent('Could not load key figures.');
    expect(errors[0]).toHaveTextContent('The server had a problem (HTTP 503)');

    await user.click(within(errors[0]).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Key figures' })).toHaveTextContent('41.3%');
    expect(to('GET', '/api/ops/overview')).toHaveLength(2);
  });
});
