/**
 * Who is signed in. The web app holds no credential of its own: the server keeps a session in
 * an HttpOnly cookie, made by single sign-on (a redirect through the identity provider) or by
 * exchanging a pasted or demo token once (`POST /api/auth/session`; the token is then
 * forgotten). On load `GET /api/auth/config` says how one signs in and whether the browser holds
 * a session (the cookie is not the page's to read); only then does `GET /api/auth/session` say
 * who is signed in and give the CSRF token every write echoes, so a signed-out load logs no
 * 401 in the console. Any 401 afterwards (signed out elsewhere, expired, deactivated) returns to
 * the sign-in screen with a reason. The demo users of the embedded default feed the sign-in
 * picker and give user ids a name across the workspace.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import { ApiError, createClient, type Answer, type Api, type CallOptions } from '../api/client';
import type { RouteName, DemoUser } from '../../../server/contract';
import type { User } from '../workspace/types';
import { Loading, ProblemView } from '../workspace/ui/states';
import { SignIn, signInErrorMessage } from './SignIn';

/** Where earlier versions kept the bearer token: removed, a credential has no place there. */
const LEGACY_TOKEN_KEY = 'gatehouse.token';

export interface Session {
  me: User;
  api: Api;
  demoUsers: DemoUser[];
  /** A user's display name where known (demo users, the caller), else the id. */
  nameOf: (userId: string) => string;
  signOut: () => void;
}

/** How one may sign in here (`GET /api/auth/config`). */
export type SignInOptions = Answer<'authConfig'>;
type SessionInfo = Answer<'getSession'>;

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside <SessionGate>');
  return session;
}

type Phase =
  | { kind: 'checking' }
  | { kind: 'signed-out'; reason?: string }
  | { kind: 'unreachable'; error: unknown }
  | { kind: 'signed-in'; me: User };

/** The sign-in error the server sent back after single sign-on (`/?signin_error=…`), once. */
function takeSignInError(): string | undefined {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('signin_error');
  if (code === null) return undefined;
  params.delete('signin_error');
  const search = params.size ? `?${params}` : '';
  // The entry's state is kept: it holds the entry's place in the history (./navigation.ts).
  window.history.replaceState(
    window.history.state,
    '',
    `${window.location.pathname}${search}${window.location.hash}`,
  );
  return signInErrorMessage(code);
}

/** Renders `children` for a signed-in user, the sign-in screen otherwise. */
export function SessionGate({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [options, setOptions] = useState<SignInOptions>({
    sso: false,
    demo: false,
    session: false,
  });
  const [demoUsers, setDemoUsers] = useState<DemoUser[]>([]);
  const csrfRef = useRef<string | undefined>(undefined);

  const signedOut = useCallback((reason?: string) => {
    csrfRef.current = undefined;
    setPhase({ kind: 'signed-out', ...(reason !== undefined && { reason }) });
  }, []);

  const signedIn = useCallback((info: SessionInfo) => {
    csrfRef.current = info.csrfToken;
    setPhase({ kind: 'signed-in', me: info.user });
  }, []);

  const check = useCallback(async () => {
    setPhase({ kind: 'checking' });
    const reason = takeSignInError();
    try {
      const found = await createClient()('authConfig');
      setOptions(found);
      if (found.demo) {
        // The picker's list; without it the sign-in screen still takes a pasted token.
        createClient()('demoUsers').then(
          (page) => setDemoUsers(page.items),
          () => undefined,
        );
      }
      if (!found.session) return signedOut(reason);
      signedIn(await createClient()('getSession'));
    } catch (error) {
      // The session ended between the two answers: signed out, as without one.
      if (error instanceof ApiError && error.problem.status === 401) signedOut(reason);
      else setPhase({ kind: 'unreachable', error });
    }
  }, [signedIn, signedOut]);

  useEffect(() => {
    window.localStorage.removeItem(LEGACY_TOKEN_KEY);
    void check();
  }, [check]);

  /** A pasted or demo token, exchanged for a session; the token itself is not kept. */
  const signInWithToken = useCallback(
    async (token: string) => {
      signedIn(await createClient(() => ({ bearer: token }))('startSession'));
    },
    [signedIn],
  );

  const signInWithSso = useCallback(() => {
    const back = window.location.hash.startsWith('#/') ? window.location.hash : '#/';
    window.location.assign(`/api/auth/oidc/login?returnTo=${encodeURIComponent(back)}`);
  }, []);

  const signOut = useCallback(() => {
    const csrfToken = csrfRef.current;
    signedOut();
    // The cookie is dropped by the answer; a failure leaves a session that expires by itself.
    createClient(() => ({ ...(csrfToken && { csrfToken }) }))('endSession').catch(() => undefined);
  }, [signedOut]);

  const api = useMemo(() => {
    const call = createClient(() => ({ ...(csrfRef.current && { csrfToken: csrfRef.current }) }));
    return async function <N extends RouteName>(
      name: N,
      options?: CallOptions<N>,
    ): Promise<Answer<N>> {
      try {
        return await call(name, options);
      } catch (error) {
        if (error instanceof ApiError && error.problem.status === 401 && csrfRef.current) {
          signedOut('Your session ended (signed out, expired or revoked). Please sign in again.');
        }
        throw error;
      }
    };
  }, [signedOut]);

  const session = useMemo((): Session | undefined => {
    if (phase.kind !== 'signed-in') return undefined;
    const names = new Map(demoUsers.map((u) => [u.id, u.name]));
    names.set(phase.me.id, phase.me.name);
    return {
      me: phase.me,
      api,
      demoUsers,
      nameOf: (id) => names.get(id) ?? id,
      signOut,
    };
  }, [phase, demoUsers, api, signOut]);

  if (phase.kind === 'checking') return <Loading what="Signing you in" />;
  if (phase.kind === 'unreachable') {
    return (
      <main className="signin-page ws">
        <div className="card signin-card">
          <ProblemView error={phase.error} onRetry={() => void check()} />
          <button type="button" className="btn" onClick={() => signedOut()}>
            Sign in again
          </button>
        </div>
      </main>
    );
  }
  if (!session) {
    return (
      <SignIn
        onSignIn={signInWithToken}
        {...(options.sso && { onSso: signInWithSso })}
        demoUsers={demoUsers}
        {...(phase.kind === 'signed-out' && phase.reason !== undefined && { reason: phase.reason })}
      />
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
