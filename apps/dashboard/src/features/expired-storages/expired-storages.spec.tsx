import { screen } from '@testing-library/react';
import { json, renderApp } from '../../../test/harness';
import { emptyPage, expiredStorages } from '../../../test/fixtures';

describe('expired storages', () => {
  it('lists storages that died without a payment, with how long they lived', async () => {
    const { to } = renderApp('/storages/expired?shopId=shop-at', { 'GET /api/ops/storages/expired': expiredStorages });
    const row = (await screen.findByText('ds-77aa01')).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('42 min 30 s');
    expect(row).toHaveTextContent('Alpenshop Wien');
    expect(row).toHaveTextContent('2025-03-14 08:42:30 GMT+1');
    expect(to('GET', '/api/ops/storages/expired')[0].url.searchParams.get('shopId')).toBe('shop-at');
  });

  it('has an empty state', async () => {
    renderApp('/storages/expired', { 'GET /api/ops/storages/expired': emptyPage() });
    expect(await screen.findByText('No data storage expired in this range.')).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    renderApp('/storages/expired', {
      'GET /api/ops/storages/expired': json({ statusCode: 500, error: 'Internal Server Error', message: 'x' }, 500),
    });
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('Could not load expired storages.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
  });
});
