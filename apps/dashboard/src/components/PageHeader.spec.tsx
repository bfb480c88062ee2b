import { act, fireEvent, render, screen } from '@testing-library/react';
import { AUTO_REFRESH_MS, createQueryClient } from '../lib/query-client';
import { UpdatedAgo } from './PageHeader';

describe('UpdatedAgo', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-14T09:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('counts the seconds since the oldest of the page’s answers, and refreshes them all', () => {
    const now = Date.now();
    const kpis = { dataUpdatedAt: now - 5_000, isFetching: false, refetch: vi.fn() };
    const funnel = { dataUpdatedAt: now - 2_000, isFetching: false, refetch: vi.fn() };
    render(<UpdatedAgo queries={[kpis, funnel]} />);
    expect(screen.getByText('Updated 5 s ago')).toBeInTheDocument();

    act(() => vi.advanceTimersByTime(20_000));
    expect(screen.getByText('Updated 25 s ago')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByText('Updated 1 min ago')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(kpis.refetch).toHaveBeenCalledTimes(1);
    expect(funnel.refetch).toHaveBeenCalledTimes(1);
  });

  it('shows a refresh in progress', () => {
    render(<UpdatedAgo queries={[{ dataUpdatedAt: Date.now(), isFetching: true, refetch: vi.fn() }]} />);
    expect(screen.getByRole('button', { name: 'Refreshing…' })).toBeDisabled();
  });

  it('is backed by an auto-refresh of every query', () => {
    expect(AUTO_REFRESH_MS).toBe(30_000);
    expect(createQueryClient().getDefaultOptions().queries?.refetchInterval).toBe(AUTO_REFRESH_MS);
  });
});
