import { screen, within } from '@testing-library/react';
import { currentUrl, renderApp } from '../../../test/harness';
import { alertRules, meViewer } from '../../../test/fixtures';

function ruleSection(title: string): HTMLElement {
  return screen.getByRole('region', { name: title });
}

describe('alert checks', () => {
  it('shows the tick interval and the notification channels', async () => {
    renderApp('/alerts/checks', { 'GET /api/ops/alerts/rules': alertRules }, meViewer);
    const schedule = await screen.findByRole('region', { name: 'Schedule and notifications' });
    expect(schedule).toHaveTextContent('Runs every1 min');
    expect(schedule).toHaveTextContent('Webhook configured');
    expect(schedule).toHaveTextContent('E-mail not configured');
    expect(screen.queryByText(/Background jobs are off/)).not.toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Alerting' })).getByRole('link', { name: 'Checks' })).toHaveAttribute('aria-current', 'page');
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Alerts' })).toHaveAttribute('aria-current', 'page');
  });

  it('lists each rule with its state, settings and last run: when, how long, result, findings, opened and resolved', async () => {
    renderApp('/alerts/checks', { 'GET /api/ops/alerts/rules': alertRules }, meViewer);
    await screen.findByRole('region', { name: 'Success rate drop' });

    const drop = ruleSection('Success rate drop');
    expect(within(drop).getByText('enabled')).toBeInTheDocument();
    expect(within(drop).getByText('Critical')).toBeInTheDocument();
    expect(drop).toHaveTextContent('Live alerts: 1 open, 0 acknowledged');
    const run = within(drop).getByLabelText('Last run');
    expect(run).toHaveTextContent('Ran2025-03-14 09:55:00 GMT+1');
    expect(run).toHaveTextContent('Duration1.4 s');
    expect(run).toHaveTextContent('Resultok');
    expect(run).toHaveTextContent('Findings1');
    expect(run).toHaveTextContent('Alerts opened0');
    expect(run).toHaveTextContent('Alerts resolved0');
    const settings = within(drop).getByRole('table', { name: 'Settings' });
    const minDropPercent = within(settings).getByRole('rowheader', { name: 'minDropPercent' }).closest('tr') as HTMLElement;
    expect(minDropPercent).toHaveTextContent('30 % changed20 %ALERT_SUCCESS_RATE_DROP_MIN_DROP_PERCENT');
    const window = within(settings).getByRole('rowheader', { name: 'windowMinutes' }).closest('tr') as HTMLElement;
    expect(window).toHaveTextContent('60 minutes60 minutesALERT_SUCCESS_RATE_DROP_WINDOW_MINUTES');
    expect(within(window).queryByText('changed')).not.toBeInTheDocument();

    const latency = ruleSection('Confirmation latency p95');
    expect(within(latency).getByLabelText('Last run')).toHaveTextContent('Duration85 ms');
    expect(within(latency).getByLabelText('Last run')).toHaveTextContent('Resulterror');
    expect(within(latency).getByRole('note')).toHaveTextContent('The last run failed: canceling statement due to statement timeout');
    expect(latency).toHaveTextContent('Live alerts: 0 open, 2 acknowledged');

    const silence = ruleSection('Traffic silence');
    expect(within(silence).getByText('disabled')).toBeInTheDocument();
    expect(silence).toHaveTextContent('Not run yet.');
    expect(silence).toHaveTextContent('No settings.');
  });

  it('warns when nothing runs the checks', async () => {
    renderApp('/alerts/checks', { 'GET /api/ops/alerts/rules': { ...alertRules, scheduled: false } }, meViewer);
    expect(await screen.findByText(/Background jobs are off/)).toHaveTextContent('nothing evaluates these checks');
  });

  it('switches between the alerts and the checks, keeping the global filters', async () => {
    const { user } = renderApp('/alerts/checks?shopId=shop-at&range=7d', { 'GET /api/ops/alerts/rules': alertRules, 'GET /api/ops/alerts': { items: [], nextCursor: null } });
    await screen.findByRole('region', { name: 'Success rate drop' });
    await user.click(within(screen.getByRole('navigation', { name: 'Alerting' })).getByRole('link', { name: 'Alerts' }));
    expect(currentUrl().pathname).toBe('/alerts');
    expect(Object.fromEntries(currentUrl().params)).toEqual({ shopId: 'shop-at', range: '7d' });
    expect(await screen.findByText('No alerts.')).toBeInTheDocument();
  });
});
