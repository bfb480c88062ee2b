import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, json, renderApp } from '../../../test/harness';
import { meAdmin, pendingResponse } from '../../../test/fixtures';
import { safeNext } from '../../app/App';
import { LOGIN_FAILED_MESSAGE } from './components/LoginForm';

const unauthorized = json({ statusCode: 401, error: 'Unauthorized', message: 'Not signed in' }, 401);

describe('login', () => {
  it('sends the credentials and, once signed in, returns to the page asked for', async () => {
    let signedIn = false;
    const { user, to } = renderApp(
      '/payments?state=FAILURE&range=7d',
      {
        'GET /api/auth/me': () => (signedIn ? json(meAdmin) : unauthorized),
        'POST /api/auth/login': () => {
          signedIn = true;
          return json(meAdmin);
        },
        'GET /api/ops/payments': { items: [], nextCursor: null },
      },
      null,
    );

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    // The intended URL is kept for after the login.
    expect(currentUrl().pathname).toBe('/login');
    expect(currentUrl().params.get('next')).toBe('/payments?state=FAILURE&range=7d');

    await user.type(screen.getByLabelText('Email'), 'anna.berger@alpenshop.example');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Payments', level: 1 })).toBeInTheDocument();
    expect(to('POST', '/api/auth/login')[0].body).toEqual({
      email: 'anna.berger@alpenshop.example',
      password: 'correct horse battery staple',
    });
    expect(window.location.pathname + window.location.search).toBe('/payments?state=FAILURE&range=7d');
    expect(to('GET', '/api/ops/payments')[0].url.searchParams.get('state')).toBe('FAILURE');
    expect(screen.getByText('anna.berger@alpenshop.example')).toBeInTheDocument();
  });

  it.each([
    ['wrong password', json({ statusCode: 401, error: 'Unauthorized', message: 'Wrong password for anna' }, 401)],
    ['throttled', json({ statusCode: 429, error: 'Too Many Requests', message: 'Too many attempts for this account' }, 429)],
    ['server error', json({ statusCode: 500, error: 'Internal Server Error', message: 'database down' }, 500)],
  ])('shows the same message for any failure (%s) and stays on the login page', async (_case, reply) => {
    const { user, to } = renderApp('/login', { 'POST /api/auth/login': reply }, null);
    await user.type(await screen.findByLabelText('Email'), 'someone@alpenshop.example');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(LOGIN_FAILED_MESSAGE);
    expect(screen.queryByText(/Wrong password|Too many|database/)).not.toBeInTheDocument();
    expect(to('POST', '/api/auth/login')).toHaveLength(1);
    expect(currentUrl().pathname).toBe('/login');
  });
});

describe('session', () => {
  it('goes back to login, keeping the URL, when the API answers 401 mid-session', async () => {
    let sessionAlive = true;
    renderApp('/pending?shopId=shop-at', {
      'GET /api/auth/me': () => (sessionAlive ? json(meAdmin) : unauthorized),
      'GET /api/ops/pending': () => {
        sessionAlive = false;
        return json({ statusCode: 401, error: 'Unauthorized', message: 'Session expired' }, 401);
      },
    });

    expect(await screen.findByText(/Your session has ended/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(currentUrl().pathname).toBe('/login');
    expect(currentUrl().params.get('next')).toBe('/pending?shopId=shop-at');
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
  });

  it('signs out with the CSRF token and forgets the operator', async () => {
    const { user, to, queryClient } = renderApp('/pending', {
      'GET /api/ops/pending': pendingResponse,
      'POST /api/auth/logout': { status: 204 },
    });
    const nav = await screen.findByRole('complementary');
    await user.click(within(nav).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    const [logout] = to('POST', '/api/auth/logout');
    expect(logout.headers.get('X-CSRF-Token')).toBe(meAdmin.csrfToken);
    expect(window.location.pathname + window.location.search).toBe('/login');
    await waitFor(() => expect(queryClient.getQueryCache().findAll({ queryKey: ['pending'] })).toHaveLength(0));
  });

  it('only returns to paths of this app after login', () => {
    expect(safeNext('/payments?q=1')).toBe('/payments?q=1');
    expect(safeNext('//evil.example/phish')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
