import type { DailyTotalsResponse } from '@seamless-ops/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, json, renderApp } from '../../../test/harness';
import { dailyTotals, meAdmin, meFinance, meOperator, meViewer } from '../../../test/fixtures';

const DAILY = '/api/ops/reconciliation/daily';
const empty: DailyTotalsResponse = { from: '2025-03-09', to: '2025-03-15', rows: [], totals: [] };

/** The cells of each row, as text (badges and amounts as shown). */
function rowsOf(element: HTMLElement): string[][] {
  return within(element)
    .getAllByRole('row')
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''));
}

describe('reconciliation', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the daily table grouped by local day with subtotals per currency, and the totals per currency and state', async () => {
    const { to } = renderApp('/reconciliation?fromDay=2025-03-29&toDay=2025-03-30', { [`GET ${DAILY}`]: dailyTotals }, meFinance);
    const table = await screen.findByRole('table', { name: 'Daily totals' });
    expect(Object.fromEntries(to('GET', DAILY)[0].url.searchParams)).toEqual({ from: '2025-03-29', to: '2025-03-30' });

    const day29 = within(table).getByRole('rowgroup', { name: 'Day 2025-03-29' });
    expect(rowsOf(day29)).toEqual([
      ['2025-03-29 Europe/Vienna, America/New_York'],
      ['Alpenshop Wien', 'EUR', 'CCARD', 'Failure', '2', '€80.00'],
      ['Alpenshop Wien', 'EUR', 'CCARD', 'Success', '12', '€1,234.50'],
      ['Alpenshop Wien', 'EUR', 'EPS', 'Success', '1', '€0.20'],
      ['Alpenshop Wien', 'EUR', 'PAYPAL', 'Success', '2', '€0.10'],
      ['Brooklyn Goods', 'USD', 'CCARD', 'Success', '4', '$100.10'],
      // Added exactly from the decimal strings; never two currencies or two states together.
      ['Day subtotal', 'EUR', 'all types', 'Failure', '2', '€80.00'],
      ['Day subtotal', 'EUR', 'all types', 'Success', '15', '€1,234.80'],
      ['Day subtotal', 'USD', 'all types', 'Success', '4', '$100.10'],
    ]);
    // The local day, with its bounds in UTC on hover, per shop time zone.
    expect(within(day29).getByText('2025-03-29')).toHaveAttribute(
      'title',
      'Europe/Vienna: 2025-03-28 23:00:00 UTC → 2025-03-29 23:00:00 UTC\nAmerica/New_York: 2025-03-29 04:00:00 UTC → 2025-03-30 04:00:00 UTC',
    );

    const day30 = within(table).getByRole('rowgroup', { name: 'Day 2025-03-30' });
    expect(within(day30).getByText('2025-03-30')).toHaveAttribute('title', 'Europe/Vienna: 2025-03-29 23:00:00 UTC → 2025-03-30 22:00:00 UTC');
    expect(day30).toHaveTextContent('Europe/Vienna · 23-hour day');
    expect(rowsOf(day30).slice(1)).toEqual([
      ['Alpenshop Wien', 'EUR', 'CCARD', 'Success', '1', '€19.99'],
      ['Alpenshop Wien', 'JPY', 'CCARD', 'Pending', '1', '¥1,000'],
      ['Day subtotal', 'EUR', 'all types', 'Success', '1', '€19.99'],
      ['Day subtotal', 'JPY', 'all types', 'Pending', '1', '¥1,000'],
    ]);

    expect(screen.getByRole('heading', { name: 'Totals 2025-03-29 → 2025-03-30' })).toBeInTheDocument();
    expect(rowsOf(screen.getByRole('table', { name: 'Totals per currency and state' }))).toEqual([
      ['Currency', 'State', 'Count', 'Sum'],
      ['EUR', 'Failure', '2', '€80.00'],
      ['EUR', 'Success', '16', '€1,254.79'],
      ['JPY', 'Pending', '1', '¥1,000'],
      ['USD', 'Success', '4', '$100.10'],
    ]);
  });

  it('defaults to the last 7 local days of the shop in view, without the top bar’s time range', async () => {
    // 23:30 UTC on the 14th is already the 15th in Vienna, still the 14th in New York.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-14T23:30:00Z'));
    const { user, to } = renderApp('/reconciliation', { [`GET ${DAILY}`]: empty }, meFinance);
    expect(await screen.findByText('No payments on these days.')).toBeInTheDocument();
    expect(Object.fromEntries(to('GET', DAILY)[0].url.searchParams)).toEqual({ from: '2025-03-09', to: '2025-03-15' });
    expect(screen.getByLabelText('From day')).toHaveValue('2025-03-09');
    expect(screen.getByLabelText('To day')).toHaveValue('2025-03-15');
    expect(screen.queryByLabelText('Time range')).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Shop'), 'shop-ny');
    await waitFor(() => expect(to('GET', DAILY).at(-1)!.url.searchParams.get('to')).toBe('2025-03-14'));
    expect(Object.fromEntries(to('GET', DAILY).at(-1)!.url.searchParams)).toEqual({ from: '2025-03-08', to: '2025-03-14', shopId: 'shop-ny' });
    expect(screen.getByLabelText('To day')).toHaveValue('2025-03-14');
  });

  it('writes the days, currency, shop and payment type to the URL and asks the API with them', async () => {
    const { user, to } = renderApp('/reconciliation', { [`GET ${DAILY}`]: dailyTotals }, meAdmin);
    await screen.findByRole('table', { name: 'Daily totals' });

    const from = screen.getByLabelText('From day');
    const toDay = screen.getByLabelText('To day');
    await user.clear(from);
    await user.type(from, '2025-03-01');
    await user.clear(toDay);
    await user.type(toDay, '2025-03-31');
    await user.click(screen.getByRole('button', { name: 'Apply days' }));
    await user.selectOptions(screen.getByLabelText('Currency'), 'EUR');
    await user.selectOptions(screen.getByLabelText('Shop'), 'shop-at');
    await user.selectOptions(screen.getByLabelText('Payment type'), 'CCARD');

    const { pathname, params } = currentUrl();
    expect(pathname).toBe('/reconciliation');
    expect(Object.fromEntries(params)).toEqual({ fromDay: '2025-03-01', toDay: '2025-03-31', currency: 'EUR', shopId: 'shop-at', paymentType: 'CCARD' });
    await waitFor(() =>
      expect(Object.fromEntries(to('GET', DAILY).at(-1)!.url.searchParams)).toEqual({
        from: '2025-03-01',
        to: '2025-03-31',
        shopId: 'shop-at',
        currency: 'EUR',
        paymentType: 'CCARD',
      }),
    );

    // Back to the default week.
    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    expect(currentUrl().params.has('fromDay')).toBe(false);
    expect(currentUrl().params.get('currency')).toBe('EUR');
  });

  it('reads the filters from a shared URL, and refuses a first day after the last', async () => {
    const { user, to } = renderApp(
      '/reconciliation?fromDay=2025-03-29&toDay=2025-03-30&currency=chf&shopId=shop-at&paymentType=PAYPAL',
      { [`GET ${DAILY}`]: dailyTotals },
      meFinance,
    );
    await screen.findByRole('table', { name: 'Daily totals' });
    expect(screen.getByLabelText('Currency')).toHaveValue('CHF');
    expect(screen.getByLabelText('Shop')).toHaveValue('shop-at');
    expect(screen.getByLabelText('Payment type')).toHaveValue('PAYPAL');
    expect(Object.fromEntries(to('GET', DAILY)[0].url.searchParams)).toEqual({
      from: '2025-03-29',
      to: '2025-03-30',
      shopId: 'shop-at',
      currency: 'CHF',
      paymentType: 'PAYPAL',
    });

    const from = screen.getByLabelText('From day');
    await user.clear(from);
    await user.type(from, '2025-04-02');
    expect(screen.getByRole('alert')).toHaveTextContent('The first day must not be after the last.');
    expect(screen.getByRole('button', { name: 'Apply days' })).toBeDisabled();
  });

  it('links the CSV download to the same query', async () => {
    const { to } = renderApp(
      '/reconciliation?fromDay=2025-03-29&toDay=2025-03-30&currency=EUR&shopId=shop-at&paymentType=CCARD',
      { [`GET ${DAILY}`]: dailyTotals },
      meFinance,
    );
    await screen.findByRole('table', { name: 'Daily totals' });
    const link = screen.getByRole('link', { name: 'Download CSV' });
    const href = new URL(link.getAttribute('href') as string, window.location.origin);
    expect(href.pathname).toBe(DAILY);
    const asked = to('GET', DAILY)[0].url.searchParams;
    expect(Object.fromEntries(href.searchParams)).toEqual({ ...Object.fromEntries(asked), format: 'csv' });
    expect(href.searchParams.get('from')).toBe('2025-03-29');
    expect(link).toHaveAttribute('download');
  });

  it('shows the API’s refusal of a JSON range over 400 days, and keeps the CSV download', async () => {
    renderApp(
      '/reconciliation?fromDay=2023-01-01&toDay=2025-03-30',
      {
        [`GET ${DAILY}`]: json(
          {
            statusCode: 400,
            error: 'Bad Request',
            message: 'the range from → to must be at most 400 days (use format=csv for longer ranges)',
            details: ['the range from → to must be at most 400 days (use format=csv for longer ranges)'],
          },
          400,
        ),
      },
      meFinance,
    );
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('Could not load the daily totals.');
    expect(error).toHaveTextContent('the range from → to must be at most 400 days (use format=csv for longer ranges)');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
      'href',
      `${DAILY}?from=2023-01-01&to=2025-03-30&format=csv`,
    );
  });

  it('is for finance and admin only: no nav entry for the others, and a clear refusal if they get there', async () => {
    for (const me of [meViewer, meOperator]) {
      const { to, unmount } = renderApp('/reconciliation', { [`GET ${DAILY}`]: dailyTotals }, me);
      const refusal = await screen.findByRole('alert');
      expect(refusal).toHaveTextContent('Not allowed.');
      expect(refusal).toHaveTextContent(`you are signed in as ${me.operator.role}`);
      const nav = screen.getByRole('navigation', { name: 'Main' });
      expect(within(nav).getByRole('link', { name: 'Alerts' })).toBeInTheDocument();
      expect(within(nav).queryByRole('link', { name: 'Reconciliation' })).not.toBeInTheDocument();
      expect(screen.queryByRole('link', { name: 'Download CSV' })).not.toBeInTheDocument();
      expect(to('GET', DAILY)).toHaveLength(0);
      unmount();
    }

    for (const me of [meFinance, meAdmin]) {
      const { user, unmount } = renderApp('/', {}, me);
      const nav = await screen.findByRole('navigation', { name: 'Main' });
      await user.click(within(nav).getByRole('link', { name: 'Reconciliation' }));
      expect(currentUrl().pathname).toBe('/reconciliation');
      expect(within(nav).getByRole('link', { name: 'Reconciliation' })).toHaveAttribute('aria-current', 'page');
      unmount();
    }
  });

  it('says when the API refuses the role anyway', async () => {
    renderApp('/reconciliation', { [`GET ${DAILY}`]: json({ statusCode: 403, error: 'Forbidden', message: 'role finance or admin required' }, 403) }, meFinance);
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('Could not load the daily totals.');
    expect(error).toHaveTextContent('You do not have access to this.');
  });
});

