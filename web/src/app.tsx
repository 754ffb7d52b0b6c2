import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, setCsrfToken, unwrap } from './api/client';
import { errorWords } from './components/data-state';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';

const ClientsPage = lazy(() => import('./pages/clients').then((m) => ({ default: m.ClientsPage })));
const ClientPage = lazy(() => import('./pages/client').then((m) => ({ default: m.ClientPage })));
const ActionsPage = lazy(() => import('./pages/actions').then((m) => ({ default: m.ActionsPage })));
const ReportsPage = lazy(() => import('./pages/reports').then((m) => ({ default: m.ReportsPage })));
const PoliciesPage = lazy(() => import('./pages/policies').then((m) => ({ default: m.PoliciesPage })));

export function useSession() {
  return useQuery({
    queryKey: ['session'],
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
  const session = useSession();
  const isLogin = useLocation().pathname === '/login';
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
  return <Shell />;
}

function Shell() {
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
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">payrisk</span>
        <nav aria-label="Main">
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
          <Routes>
            <Route path="/" element={<OverviewPage />} />
            <Route path="/clients" element={<ClientsPage />} />
            <Route path="/clients/:id" element={<ClientPage />} />
            <Route path="/actions" element={<ActionsPage />} />
            <Route path="/reports/:name" element={<ReportsPage />} />
            <Route path="/policies" element={<PoliciesPage />} />
            <Route path="*" element={<h1>Page not found</h1>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
