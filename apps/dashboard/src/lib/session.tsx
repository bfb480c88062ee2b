import type { MeResponse, OperatorRole, ShopSummary } from '@seamless-ops/contracts';
import { createContext, useContext, type ReactNode } from 'react';
import { useSearchParams } from './router';

/** The signed-in operator, provided by the app shell to every feature. */
export interface Session {
  me: MeResponse;
  logout: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Roles that may change things (acknowledge alerts): everyone but a viewer, as the API allows. */
const ACTING_ROLES: readonly OperatorRole[] = ['operator', 'finance', 'admin'];

export function canAct(role: OperatorRole): boolean {
  return ACTING_ROLES.includes(role);
}

/** Roles that may read the finance reconciliation (the API answers 403 to the others). */
const RECONCILING_ROLES: readonly OperatorRole[] = ['finance', 'admin'];

export function canReconcile(role: OperatorRole): boolean {
  return RECONCILING_ROLES.includes(role);
}

/** The shop whose time zone the views use: the one selected in the shop filter, else the first. */
export function displayShop(shops: readonly ShopSummary[], selectedShopId: string | null): ShopSummary | null {
  return shops.find((shop) => shop.id === selectedShopId) ?? shops[0] ?? null;
}

/** The merchant's time zone for displaying times (UTC when the operator sees no shop at all). */
export function useDisplayTimeZone(): string {
  const session = useContext(SessionContext);
  const [params] = useSearchParams();
  return displayShop(session?.me.shops ?? [], params.get('shopId'))?.timeZone ?? 'UTC';
}

/** Shop id → display name (falls back to the id for a shop the session does not list). */
export function useShopName(): (shopId: string | null) => string {
  const session = useContext(SessionContext);
  const shops = session?.me.shops ?? [];
  return (shopId) => (shopId === null ? '—' : (shops.find((shop) => shop.id === shopId)?.name ?? shopId));
}
