/** The sign-in screen: paste an API token, or (embedded default) pick a demo user. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { DemoUser } from '../../../server/contract';
import { ProblemView } from '../workspace/ui/states';

export function SignIn({
  onSignIn,
  demoUsers,
  reason,
}: {
  onSignIn: (token: string) => Promise<void>;
  demoUsers: DemoUser[];
  reason?: string;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState<string>();

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
    <div className="signin-page ws" data-testid="signin">
      <div className="card signin-card">
        <div className="brand brand-large">
          <GateMark /> Gatehouse
        </div>
        <h1>Sign in</h1>
        {reason && (
          <p className="notice" role="status">
            {reason}
          </p>
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
            autoFocus={demoUsers.length === 0}
          />
          <small id="signin-token-help" className="muted">
            The token an admin gave you (printed once when your user was created).
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
            data-testid="signin-submit"
          >
            {pending === 'token' ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </div>
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
