/**
 * The sign-in screen: single sign-on through the organisation's identity provider (when
 * configured), a demo user (embedded default), or an API token pasted once — exchanged for a
 * session, never stored by the web app.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { DemoUser } from '../../../server/contract';
import { DisabledWhy, ProblemView, whyProps } from '../workspace/ui/states';

/** What a `signin_error` code of the server's single sign-on redirect means to a person. */
const SIGN_IN_ERRORS: Record<string, string> = {
  sso_state:
    'The sign-in could not be completed (it was started in another window or took too long). Please try again.',
  sso_denied: 'The sign-in was cancelled at your identity provider.',
  sso_unavailable: 'Your identity provider cannot be reached right now. Please try again shortly.',
  sso_token: 'Your identity provider’s answer could not be verified. Please try again.',
  sso_not_provisioned:
    'You have no Gatehouse account yet. Ask an administrator to create one for your e-mail address.',
  sso_privileged_account:
    'Your account holds the PMO or admin role and cannot be linked to single sign-on by its e-mail. Ask an administrator.',
  sso_linked_elsewhere:
    'Your Gatehouse account is already linked to another sign-in at your identity provider. Ask an administrator.',
  sso_domain_not_allowed: 'People of your e-mail domain cannot sign in to this Gatehouse.',
  unauthorized:
    'Your identity provider did not confirm an e-mail address, or your account is deactivated.',
};

export function signInErrorMessage(code: string): string {
  return SIGN_IN_ERRORS[code] ?? `The sign-in failed (${code.slice(0, 60)}). Please try again.`;
}

export function SignIn({
  onSignIn,
  onSso,
  demoUsers,
  reason,
}: {
  onSignIn: (token: string) => Promise<void>;
  /** Present when single sign-on is configured: leaves for the identity provider. */
  onSso?: () => void;
  demoUsers: DemoUser[];
  reason?: string;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState<string>();
  const tokenWhy =
    token.trim() === '' && pending === undefined ? 'Paste your token to sign in.' : undefined;

  const attempt = async (value: string, who: string) => {
    setPending(who);
    setError(undefined);
    try {
      await onSignIn(value);
    } catch (e) {
      setError(e);
      setPending(undefined);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim() !== '') void attempt(token.trim(), 'token');
  };
  const invalid = error instanceof ApiError && error.problem.status === 401;

  return (
    // The page's main landmark: signed out, there is no navigation around it.
    <main className="signin-page ws" data-testid="signin">
      <div className="card signin-card">
        <div className="brand brand-large">
          <GateMark /> Gatehouse
        </div>
        <h1>Sign in</h1>
        {reason && (
          <p className="notice" role="status" data-testid="signin-reason">
            {reason}
          </p>
        )}
        {onSso && (
          <section aria-label="Single sign-on" className="sso">
            <button
              type="button"
              className="btn btn-primary sso-button"
              data-testid="signin-sso"
              disabled={pending !== undefined}
              onClick={() => {
                setPending('sso');
                onSso();
              }}
            >
              {pending === 'sso' ? 'Going to your identity provider…' : 'Sign in with SSO'}
            </button>
            <div className="divider">
              <span>{demoUsers.length > 0 ? 'or' : 'or use an API token'}</span>
            </div>
          </section>
        )}
        {demoUsers.length > 0 && (
          <section aria-labelledby="demo-heading" className="demo-users">
            <h2 id="demo-heading">Demo users</h2>
            <p className="muted">This is the embedded demo: choose who you want to be.</p>
            <ul data-testid="demo-users">
              {demoUsers.map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    className="demo-user"
                    data-testid="demo-user"
                    data-user-id={u.id}
                    disabled={pending !== undefined}
                    onClick={() => void attempt(u.token, u.id)}
                  >
                    <span className="avatar" aria-hidden="true">
                      {initials(u.name)}
                    </span>
                    <span className="demo-user-name">{u.name}</span>
                    <span className="demo-user-roles">
                      {u.roles.map((r) => (
                        <span className="tag" key={r}>
                          {r}
                        </span>
                      ))}
                    </span>
                    {pending === u.id && <span className="spinner" aria-label="Signing in" />}
                  </button>
                </li>
              ))}
            </ul>
            <div className="divider">
              <span>or use a token</span>
            </div>
          </section>
        )}
        <form onSubmit={submit} className="form" data-testid="signin-form">
          <label htmlFor="signin-token">API token</label>
          <input
            id="signin-token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby="signin-token-help"
            data-testid="signin-token"
            autoFocus={demoUsers.length === 0 && !onSso}
          />
          <small id="signin-token-help" className="muted">
            The token an admin gave you (printed once when your user was created). It is exchanged
            for a session here and not kept by the browser.
          </small>
          {invalid ? (
            <p className="field-error" role="alert" data-testid="signin-error">
              This token was not accepted. Check that it was copied whole, or ask an admin for a new
              one.
            </p>
          ) : (
            error !== undefined && (
              <div data-testid="signin-error">
                <ProblemView error={error} />
              </div>
            )
          )}
          <button
            type="submit"
            className="btn btn-primary"
            disabled={token.trim() === '' || pending !== undefined}
            {...whyProps('signin-why', tokenWhy)}
            data-testid="signin-submit"
          >
            {pending === 'token' ? 'Signing in…' : 'Sign in'}
          </button>
          <DisabledWhy id="signin-why" why={tokenWhy} />
        </form>
      </div>
    </main>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return (
    (parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')
  ).toUpperCase();
}

/** The brand mark: a gate of two posts and a lintel. */
export function GateMark() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" className="gate-mark">
      <path d="M3 21V7l9-4 9 4v14h-4v-9H7v9z" fill="currentColor" />
    </svg>
  );
}
