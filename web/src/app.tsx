import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken, unwrap } from './api/client';
import { AccountSwitcher } from './components/account-switcher';
import { errorWords } from './components/data-state';
import { AccountsPage } from './pages/accounts';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';

const ClientsPage = lazy(() => import('./pages/clients').then((m) => ({ default: m.ClientsPage })));
const ClientPage = lazy(() => import('./pages/client').then((m) => ({ default: m.ClientPage })));
const ActionsPage = lazy(() => import('./pages/actions').then((m) => ({ default: m.ActionsPage })));
const ReportsPage = lazy(() => import('./pages/reports').then((m) => ({ default: m.ReportsPage })));
const PoliciesPage = lazy(() => import('./pages/policies').then((m) => ({ default: m.PoliciesPage })));

/** The signed-in session; not asked for on /login, where nobody is signed in yet (a 401 on every sign-in). */
export function useSession(enabled = true) {
  return useQuery({
    queryKey: ['session'],
    enabled,
    queryFn: async () => {
      const session = unwrap(await api.GET('/api/session'));
      setCsrfToken(session.csrfToken);
      return session;
    },
    retry: false,
    staleTime: Infinity,
  });
}

export function App() {
  const isLogin = useLocation().pathname === '/login';
  const session = useSession(!isLogin);
  if (isLogin) return <LoginPage />;
  if (session.isPending)
    return (
      <p className="state" role="status">
        Loading…
      </p>
    );
  if (session.error) {
    if (session.error instanceof ApiError && session.error.status === 401) return <LoginPage />;
    return (
      <p className="state error" role="alert">
        Could not reach payrisk: {errorWords(session.error)}
      </p>
    );
  }
  return <Shell session={session.data} />;
}

type Session = NonNullable<ReturnType<typeof useSession>['data']>;

function Shell({ session }: { session: Session }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/session')),
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.clear();
      void navigate('/login');
    },
  });
  useEffect(() => {
    document.documentElement.lang = 'en';
  }, []);
  const manyAccounts = session.accounts.length > 1;
  // Someone who may see several accounts and has chosen none yet starts on the accounts side by side.
  const choosing = manyAccounts && !session.stripeAccountId;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">payrisk</span>
        <AccountSwitcher session={session} />
        <nav aria-label="Main">
          {manyAccounts && <NavLink to="/accounts">All accounts</NavLink>}
          <NavLink to="/" end>
            Overview
          </NavLink>
          <NavLink to="/clients">Clients</NavLink>
          <NavLink to="/actions">Actions</NavLink>
          <NavLink to="/reports/aging">Reports</NavLink>
          <NavLink to="/policies">Policies</NavLink>
        </nav>
        <button type="button" className="link" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </header>
      <main id="main">
        <Suspense
          fallback={
            <p className="state" role="status">
              Loading…
            </p>
          }
        >
          {choosing ? (
            <AccountsPage chooseFirst />
          ) : (
            <Routes>
              <Route path="/accounts" element={<AccountsPage />} />
              <Route path="/" element={<OverviewPage />} />
              <Route path="/clients" element={<ClientsPage />} />
              <Route path="/clients/:id" element={<ClientPage />} />
              <Route path="/actions" element={<ActionsPage />} />
              {/* Typed or bookmarked without a report: the first one, as the menu's link opens. */}
              <Route path="/reports" element={<Navigate to="/reports/aging" replace />} />
              <Route path="/reports/:name" element={<ReportsPage />} />
              <Route path="/policies" element={<PoliciesPage />} />
              <Route path="*" element={<h1>Page not found</h1>} />
            </Routes>
          )}
        </Suspense>
      </main>
    </>
  );
}
