import { screen, within } from '@testing-library/react';
import { currentUrl, renderApp } from '../../../test/harness';
import { emptyPage, mismatches } from '../../../test/fixtures';

describe('mismatches', () => {
  it('groups open mismatches by kind with the reason inline', async () => {
    const { to } = renderApp('/mismatches', { 'GET /api/ops/mismatches': mismatches });
    await screen.findByText('returned to success page, confirmed FAILURE');
    const groups = screen.getAllByRole('region');
    const sections = groups.filter((region) => region.classList.contains('mismatch-group'));
    expect(sections.map((section) => within(section).getByRole('heading').textContent)).toEqual([
      'Return contradicts confirmation 2',
      'Amount or currency differs 1',
      'Confirmation for an unknown payment 1',
    ]);
    const contradicts = sections[0];
    expect(within(contradicts).getByText('returned to success page, confirmed FAILURE')).toBeInTheDocument();
    expect(within(contradicts).getByText('returned to cancel page, confirmed SUCCESS')).toBeInTheDocument();
    expect(within(sections[2]).getByText('no payment of ours')).toBeInTheDocument();
    expect(to('GET', '/api/ops/mismatches')[0].url.searchParams.get('status')).toBe('open');
  });

  it('filters by status and kind through the URL', async () => {
    const { user, to } = renderApp('/mismatches', { 'GET /api/ops/mismatches': { ...emptyPage(), countsByKind: [] } });
    expect(await screen.findByText('No open mismatches. Every outcome adds up.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Resolved' }));
    await user.selectOptions(screen.getByLabelText('Kind'), 'amount_mismatch');
    expect(Object.fromEntries(currentUrl().params)).toEqual({ status: 'resolved', kind: 'amount_mismatch' });
    expect(screen.getByRole('button', { name: 'Resolved' })).toHaveAttribute('aria-pressed', 'true');
    const last = to('GET', '/api/ops/mismatches').at(-1)!.url.searchParams;
    expect(last.get('status')).toBe('resolved');
    expect(last.get('kind')).toBe('amount_mismatch');
    expect(await screen.findByText('No resolved mismatches in this range.')).toBeInTheDocument();
  });
});
