import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, setCsrfToken, unwrap } from '../api/client';

/**
 * /login?code=…: spends the one-time code (a POST from script, so a mail scanner fetching
 * the link spends nothing) and goes to the overview. Without a code: how to get a link.
 */
export function LoginPage() {
  const queryClient = useQueryClient();
  const code = new URLSearchParams(window.location.search).get('code');
  const started = useRef(false);
  const signIn = useMutation({
    mutationFn: async (value: string) => unwrap(await api.POST('/api/session', { body: { code: value } })),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(['session'], session);
      window.history.replaceState(null, '', '/');
      window.location.assign('/');
    },
  });
  const [address, setAddress] = useState('');
  // No address: the owner's link (OWNER_EMAIL); a person added with `payrisk people add` gives theirs.
  const email = useMutation({
    mutationFn: async (to: string) => unwrap(await api.POST('/api/session/email-link', { body: to ? { email: to } : {} })),
  });
  useEffect(() => {
    if (code && !started.current) {
      started.current = true;
      signIn.mutate(code);
    }
  }, [code, signIn]);

  return (
    <main id="main" className="login">
      <h1>Sign in to payrisk</h1>
      {code && signIn.isPending && <p role="status">Signing you in…</p>}
      {signIn.error && (
        <p role="alert" className="error">
          {signIn.error.message}
        </p>
      )}
      {(!code || signIn.error) && (
        <>
          <p>
            Open the sign-in link that <code>npm start</code> printed, or run <code>npx payrisk login-link</code> for a fresh one. Each link works once, for 15
            minutes.
          </p>
          <form
            className="email-link"
            onSubmit={(event) => {
              event.preventDefault();
              email.mutate(address.trim());
            }}
          >
            <label htmlFor="sign-in-email">Your email (leave it empty if you are the owner)</label>
            <input id="sign-in-email" type="email" autoComplete="email" value={address} onChange={(event) => setAddress(event.target.value)} />
            <button type="submit" disabled={email.isPending}>
              Email me a sign-in link
            </button>
          </form>
          {email.data && <p role="status">A link is on its way to {email.data.sentTo}.</p>}
          {email.error && (
            <p role="alert" className="error">
              {email.error.message}
            </p>
          )}
        </>
      )}
    </main>
  );
}
