/**
 * Who is signed in. The bearer token lives in localStorage and is checked with `GET /api/me`
 * on load; any 401 afterwards (token revoked) signs out with a reason. The demo users of the
 * embedded default (`GET /api/demo/users`, 404 elsewhere) feed the sign-in picker and give
 * user ids a name across the workspace.
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
import { ApiError, createClient, type Api, type CallOptions } from '../api/client';
import type { RouteName, DemoUser } from '../../../server/contract';
import type { User } from '../workspace/types';
import { Loading, ProblemView } from '../workspace/ui/states';
import { SignIn } from './SignIn';

const TOKEN_KEY = 'gatehouse.token';

export interface Session {
  me: User;
  api: Api;
  /** The token, for the one call the client cannot make (the event stream). */
  token: string;
  demoUsers: DemoUser[];
  /** A user's display name where known (demo users, the caller), else the id. */
  nameOf: (userId: string) => string;
  signOut: () => void;
}

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
  | { kind: 'signed-in'; me: User; token: string };

const readToken = () => window.localStorage.getItem(TOKEN_KEY) ?? undefined;

/** Renders `children` for a signed-in user, the sign-in screen otherwise. */
export function SessionGate({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>(() =>
    readToken() ? { kind: 'checking' } : { kind: 'signed-out' },
  );
  const [demoUsers, setDemoUsers] = useState<DemoUser[]>([]);
  const tokenRef = useRef<string | undefined>(undefined);

  const signOut = useCallback((reason?: string) => {
    window.localStorage.removeItem(TOKEN_KEY);
    tokenRef.current = undefined;
    setPhase({ kind: 'signed-out', ...(reason !== undefined && { reason }) });
  }, []);

  const signIn = useCallback(async (token: string) => {
    const me = await createClient(() => token)<User>('me');
    window.localStorage.setItem(TOKEN_KEY, token);
    tokenRef.current = token;
    setPhase({ kind: 'signed-in', me, token });
  }, []);

  const check = useCallback(() => {
    const token = readToken();
    if (!token) return;
    setPhase({ kind: 'checking' });
    signIn(token).catch((error: unknown) => {
      if (error instanceof ApiError && error.problem.status === 401) {
        signOut('Your saved token is no longer valid. Please sign in again.');
      } else setPhase({ kind: 'unreachable', error });
    });
  }, [signIn, signOut]);

  useEffect(check, [check]);

  useEffect(() => {
    let current = true;
    createClient(() => undefined)<{ items: DemoUser[] }>('demoUsers').then(
      (page) => current && setDemoUsers(page.items),
      // Not the embedded default (404) or not reachable: simply no picker.
      () => current && setDemoUsers([]),
    );
    return () => {
      current = false;
    };
  }, []);

  const api = useMemo(() => {
    const call = createClient(() => tokenRef.current);
    return async function <T = unknown>(name: RouteName, options?: CallOptions<RouteName>) {
      try {
        return await call<T>(name, options);
      } catch (error) {
        if (error instanceof ApiError && error.problem.status === 401 && tokenRef.current) {
          signOut('Your session ended (the token was revoked or expired). Please sign in again.');
        }
        throw error;
      }
    };
  }, [signOut]);

  const session = useMemo((): Session | undefined => {
    if (phase.kind !== 'signed-in') return undefined;
    const names = new Map(demoUsers.map((u) => [u.id, u.name]));
    names.set(phase.me.id, phase.me.name);
    return {
      me: phase.me,
      token: phase.token,
      api,
      demoUsers,
      nameOf: (id) => names.get(id) ?? id,
      signOut: () => signOut(),
    };
  }, [phase, demoUsers, api, signOut]);

  if (phase.kind === 'checking') return <Loading what="Signing you in" />;
  if (phase.kind === 'unreachable') {
    return (
      <div className="signin-page ws">
        <div className="card signin-card">
          <ProblemView error={phase.error} onRetry={check} />
          <button type="button" className="btn" onClick={() => signOut()}>
            Sign in with another token
          </button>
        </div>
      </div>
    );
  }
  if (!session) {
    return (
      <SignIn
        onSignIn={signIn}
        demoUsers={demoUsers}
        {...(phase.kind === 'signed-out' && phase.reason !== undefined && { reason: phase.reason })}
      />
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
