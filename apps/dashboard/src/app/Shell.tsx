import type { ReactNode } from 'react';
import { withGlobalFilters } from '../lib/filters';
import { Link, useLocation, useSearchParams } from '../lib/router';
import { useSession } from '../lib/session';
import { GlobalControls } from './GlobalControls';
import { findRoute, navItemsFor } from './routes';

/** The frame of every signed-in page: left nav, global controls on top, the page below. */
export function Shell({ children }: { children: ReactNode }) {
  const { me, logout } = useSession();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const route = findRoute(pathname)?.route;
  const section = route?.section;

  return (
    <div className="app">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">S</span>
          <span>Seamless Ops</span>
        </div>
        <nav aria-label="Main">
          <ul className="nav">
            {navItemsFor(me.operator.role).map((item) => (
              <li key={item.path}>
                <Link
                  to={withGlobalFilters(item.path, params)}
                  className="nav-link"
                  aria-current={section === item.path ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <div className="operator">
            <span className="operator-email" title={me.operator.email}>
              {me.operator.email}
            </span>
            <span className="operator-role">{me.operator.role}</span>
          </div>
          <button type="button" className="button button-ghost button-block" onClick={logout}>
            Sign out
          </button>
        </div>
      </aside>
      <div className="main">
        <GlobalControls timeRange={route?.timeRange !== false} />
        <main id="content" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
