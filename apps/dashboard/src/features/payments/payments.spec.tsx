import { screen, within } from '@testing-library/react';
import { currentUrl, json, renderApp } from '../../../test/harness';
import { emptyPage, paymentsPage1, paymentsPage2 } from '../../../test/fixtures';

const NBSP = '\u00a0';

function pagedPayments() {
  return ({ url }: { url: URL }) => json(url.searchParams.get('cursor') === 'cursor-page-2' ? paymentsPage2 : paymentsPage1);
}

function rowOf(text: string): HTMLElement {
  return screen.getByRole('link', { name: text }).closest('tr') as HTMLElement;
}

describe('payments', () => {
  it('reads every filter from the URL and asks the API with them', async () => {
    const { to } = renderApp('/payments?state=FAILURE&q=23456790&shopId=shop-ny&paymentType=PAYPAL&range=7d', {
      'GET /api/ops/payments': paymentsPage1,
    });
    await screen.findByRole('link', { name: 'pay_01HQ7ZK4M2' });

    expect(screen.getByLabelText('State')).toHaveValue('FAILURE');
    expect(screen.getByLabelText('Search')).toHaveValue('23456790');
    expect(screen.getByLabelText('Shop')).toHaveValue('shop-ny');
    expect(screen.getByLabelText('Payment type')).toHaveValue('PAYPAL');
    expect(screen.getByLabelText('Time range')).toHaveValue('7d');

    const params = to('GET', '/api/ops/payments')[0].url.searchParams;
    expect(Object.fromEntries([...params].filter(([key]) => key !== 'from' && key !== 'to'))).toEqual({
      state: 'FAILURE',
      q: '23456790',
      shopId: 'shop-ny',
      paymentType: 'PAYPAL',
      limit: '50',
    });
    expect(Date.parse(params.get('to') as string) - Date.parse(params.get('from') as string)).toBe(7 * 24 * 3600 * 1000);
  });

  it('writes filter changes to the URL, so the view can be bookmarked', async () => {
    const { user, to } = renderApp('/payments', { 'GET /api/ops/payments': paymentsPage1 });
    await screen.findByRole('link', { name: 'pay_01HQ7ZK4M2' });

    await user.selectOptions(screen.getByLabelText('State'), 'PENDING');
    await user.type(screen.getByLabelText('Search'), 'C8734512903846');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await user.selectOptions(screen.getByLabelText('Shop'), 'shop-at');
    await user.selectOptions(screen.getByLabelText('Payment type'), 'CCARD');
    await user.selectOptions(screen.getByLabelText('Time range'), '1h');

    const { pathname, params } = currentUrl();
    expect(pathname).toBe('/payments');
    expect(Object.fromEntries(params)).toEqual({
      state: 'PENDING',
      q: 'C8734512903846',
      shopId: 'shop-at',
      paymentType: 'CCARD',
      range: '1h',
    });
    const last = to('GET', '/api/ops/payments').at(-1)!.url.searchParams;
    expect(last.get('state')).toBe('PENDING');
    expect(last.get('q')).toBe('C8734512903846');
    expect(last.get('shopId')).toBe('shop-at');
    expect(last.get('paymentType')).toBe('CCARD');
    expect(Date.parse(last.get('to') as string) - Date.parse(last.get('from') as string)).toBe(3600 * 1000);

    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(currentUrl().params.has('state')).toBe(false);
    expect(currentUrl().params.has('q')).toBe(false);
    expect(screen.getByLabelText('Search')).toHaveValue('');
    // The global filters survive clearing the page's own.
    expect(currentUrl().params.get('shopId')).toBe('shop-at');
  });

  it('keeps a custom range as UTC instants entered in the merchant’s time zone', async () => {
    const { user, to } = renderApp('/payments?shopId=shop-at', { 'GET /api/ops/payments': paymentsPage1 });
    await screen.findByRole('link', { name: 'pay_01HQ7ZK4M2' });
    await user.selectOptions(screen.getByLabelText('Time range'), 'custom');
    const from = screen.getByLabelText('From');
    const toInput = screen.getByLabelText('To');
    await user.clear(from);
    await user.type(from, '2025-03-01T00:00');
    await user.clear(toInput);
    await user.type(toInput, '2025-03-14T12:30');
    await user.click(screen.getByRole('button', { name: 'Apply' }));

    expect(Object.fromEntries(currentUrl().params)).toMatchObject({
      range: 'custom',
      // Vienna is UTC+1 in March (before the 30th).
      from: '2025-02-28T23:00:00.000Z',
      to: '2025-03-14T11:30:00.000Z',
    });
    const last = to('GET', '/api/ops/payments').at(-1)!.url.searchParams;
    expect(last.get('from')).toBe('2025-02-28T23:00:00.000Z');
    expect(last.get('to')).toBe('2025-03-14T11:30:00.000Z');
  });

  it('loads the next page with the cursor', async () => {
    const { user, to } = renderApp('/payments', { 'GET /api/ops/payments': pagedPayments() });
    await screen.findByRole('link', { name: 'pay_01HQ7ZK4M2' });
    expect(screen.queryByRole('link', { name: 'pay_01HQ7ZQ3BH' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'pay_01HQ7ZQ3BH' })).toBeInTheDocument();
    expect(to('GET', '/api/ops/payments')[1].url.searchParams.get('cursor')).toBe('cursor-page-2');
    expect(screen.getAllByRole('row')).toHaveLength(1 + 3);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(screen.getByText(/3 shown · end of list/)).toBeInTheDocument();
  });

  it('formats amounts per currency and shows times in the selected shop’s zone with UTC on hover', async () => {
    const { user } = renderApp('/payments', { 'GET /api/ops/payments': pagedPayments() });
    await screen.findByRole('link', { name: 'pay_01HQ7ZK4M2' });
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'pay_01HQ7ZQ3BH' });

    const amountIn = (paymentId: string) => rowOf(paymentId).querySelector('.amount')?.textContent;
    expect(amountIn('pay_01HQ7ZK4M2')).toBe('€1,234.50');
    expect(amountIn('pay_01HQ7ZM9TX')).toBe('¥1,000');
    expect(amountIn('pay_01HQ7ZQ3BH')).toBe(`BHD${NBSP}12.345`);

    // No shop selected: the first shop's zone (Vienna).
    const time = within(rowOf('pay_01HQ7ZK4M2')).getByText('2025-03-14 10:23:45 GMT+1');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('title', '2025-03-14 09:23:45 UTC');
    expect(time).toHaveAttribute('datetime', '2025-03-14T09:23:45.000Z');
    expect(screen.getByText('Times in Europe/Vienna')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Shop'), 'shop-ny');
    expect(await screen.findByText('Times in America/New_York')).toBeInTheDocument();
    expect(within(rowOf('pay_01HQ7ZK4M2')).getByText('2025-03-14 05:23:45 EDT')).toHaveAttribute('title', '2025-03-14 09:23:45 UTC');
  });

  it('says so when nothing matches, and offers a retry when loading fails', async () => {
    let calls = 0;
    const { user } = renderApp('/payments?q=nothing', {
      'GET /api/ops/payments': () => (++calls === 1 ? json({ statusCode: 500, error: 'Internal Server Error', message: 'boom' }, 500) : json(emptyPage())),
    });
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('Could not load payments.');
    expect(error).toHaveTextContent('HTTP 500');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    await user.click(within(error).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No payments match these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
