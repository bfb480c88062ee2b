import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { authKeys, authQueries, logout } from '../features/auth/api/auth-queries';
import { LoginPage } from '../features/auth/routes/LoginPage';
import { isApiError, setCsrfToken } from '../lib/api-client';
import { navigate, useLocation } from '../lib/router';
import { SessionProvider, type Session } from '../lib/session';
import { RouteView } from './routes';
import { Shell } from './Shell';

const LOGIN_PATH = '/login';

/** Only a path of this app: no scheme, no protocol-relative `//host`, not the login page itself. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === LOGIN_PATH || next.startsWith(`${LOGIN_PATH}?`)) return '/';
  return next;
}

function isUnauthorized(error: unknown): boolean {
  return isApiError(error) && error.isUnauthorized;
}

function isAuthKey(key: readonly unknown[] | undefined): boolean {
  return key?.[0] === authKeys.all[0];
}

/**
 * Session gate and routes. Any 401 from the operator API (outside the auth calls themselves) means the
 * session ended: the app forgets the operator, and the login page comes back with the URL to return to.
 */
export function App() {
  const queryClient = useQueryClient();
  const me = useQuery(authQueries.me());
  const location = useLocation();
  const [sessionExpired, setSessionExpired] = useState(false);

  useEffect(() => {
    const endSession = () => {
      setCsrfToken(null);
      setSessionExpired(true);
      queryClient.setQueryData(authKeys.me, null);
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && !isAuthKey(event.query.queryKey) && isUnauthorized(event.action.error)) {
        endSession();
      }
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (
        event.type === 'updated' &&
        event.action.type === 'error' &&
        !isAuthKey(event.mutation?.options.mutationKey) &&
        isUnauthorized(event.action.error)
      ) {
        endSession();
      }
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient]);

  const signedIn = me.data ? me.data : null;
  const onLoginPage = location.pathname === LOGIN_PATH;

  useEffect(() => {
    if (me.status !== 'success') return;
    if (!signedIn) {
      // Nothing cached may outlive the session.
      queryClient.removeQueries({ predicate: (query) => !isAuthKey(query.queryKey) });
      if (!onLoginPage) {
        const next = location.href === '/' ? '' : `?next=${encodeURIComponent(location.href)}`;
        navigate(`${LOGIN_PATH}${next}`, { replace: true });
      }
    } else if (onLoginPage) {
      setSessionExpired(false);
      navigate(safeNext(new URLSearchParams(location.search).get('next')), { replace: true });
    }
  }, [me.status, signedIn, onLoginPage, location.href, location.search, queryClient]);

  const handleLogout = useCallback(() => {
    void logout()
      .catch(() => undefined)
      .finally(() => {
        setSessionExpired(false);
        navigate(LOGIN_PATH);
        queryClient.setQueryData(authKeys.me, null);
      });
  }, [queryClient]);

  const session = useMemo<Session | null>(() => (signedIn ? { me: signedIn, logout: handleLogout } : null), [signedIn, handleLogout]);

  if (me.status === 'pending') {
    return (
      <div className="boot" role="status">
        <span className="spinner" aria-hidden="true" /> Loading Seamless Ops…
      </div>
    );
  }
  if (me.status === 'error' && !me.data) {
    return (
      <div className="boot" role="alert">
        <p>The operator API could not be reached.</p>
        <button type="button" className="button" onClick={() => me.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (!session) return <LoginPage sessionExpired={sessionExpired} />;
  if (onLoginPage) return null;

  return (
    <SessionProvider session={session}>
      <Shell>
        <RouteView pathname={location.pathname} />
      </Shell>
    </SessionProvider>
  );
}
