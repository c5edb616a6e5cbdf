/**
 * Moves a project through its template over HTTP only, the way its participants would: each
 * one looks in `GET /api/inbox` for what is theirs and acts through the matching route. The
 * inbox reads the read model the worker writes just after each action, so every look polls
 * until the expected item shows.
 */
import type { InboxItem, Page } from '../../db';
import type { PendingAction } from '../../workflows/lifecycle';
import { opsIntegratedDelivery, readinessItemInput, type Template } from '../../workflows/model';
import { fullMarks, nodeOf } from '../workflows/drive';
import type { ApiClient, ApiStack, Reply } from './stack';

/** Polls `probe` until `done` holds for its value; fails with the last value after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 2000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The reply when it has `status`; otherwise an error that shows the problem the API sent. */
export function expectStatus(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`,
    );
  }
  return reply;
}

/** The body of a reply with `status`, typed by the caller (the tests assert its shape). */
export function bodyOf<T>(reply: Reply, status: number, what: string): T {
  return expectStatus(reply, status, what).body as T;
}

/** Every item of a list, following `nextCursor` page by page; also how many pages it took. */
export async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
    pages += 1;
  } while (cursor !== undefined);
  return { items, pages };
}

/** A user as the API knows it: created by the admin over `POST /api/users`. */
export interface ApiUser {
  id: string;
  name: string;
  token: string;
}

export async function createUser(
  api: ApiClient,
  name: string,
  flags: { pmo?: boolean } = {},
): Promise<ApiUser> {
  const reply = await api.call('POST', '/api/users', {
    token: api.adminToken,
    body: { name, email: `${name}@example.test`, ...flags },
  });
  const { id, token } = expectStatus(reply, 201, `create user ${name}`).body;
  return { id, name, token };
}

/** The built-in template's seats in the server tests: one user a role, made by `api.user`. */
export const BUILTIN_SEATS: Record<string, string[]> = {
  pm: ['pat'],
  'ops-lead': ['olga'],
  'ops-manager': ['mona'],
  support: ['sue'],
  steering: ['stan'],
};

/**
 * Starts project `name` as `pmo`: of the built-in template unless another published one is
 * named, on its latest version unless `version` says, with `BUILTIN_SEATS` unless other seats
 * are given. Answers its id.
 */
export async function startProject(
  api: ApiStack,
  pmo: { token: string },
  name: string,
  options: { template?: string; version?: number; participants?: Record<string, string[]> } = {},
): Promise<string> {
  const reply = await api.call('POST', '/api/projects', {
    token: pmo.token,
    body: {
      name,
      template: options.template ?? opsIntegratedDelivery.key,
      ...(options.version !== undefined && { version: options.version }),
      participants: options.participants ?? BUILTIN_SEATS,
    },
  });
  return expectStatus(reply, 201, `start ${name}`).body.id as string;
}

/** One participant of one project, acting from their inbox. */
export class Participant {
  constructor(
    private readonly api: Pick<ApiStack, 'call'>,
    readonly user: ApiUser,
    private readonly projectId: string,
    private readonly template: Template,
  ) {}

  /** `method path` on this project (path relative to `/api/projects/:id`), expecting `status`. */
  async call(method: string, path: string, status: number, body?: unknown): Promise<Reply> {
    const reply = await this.api.call(method, `/api/projects/${this.projectId}${path}`, {
      token: this.user.token,
      ...(body !== undefined && { body }),
    });
    return expectStatus(reply, status, `${this.user.name}: ${method} ${path}`);
  }

  /** This project's items in the user's inbox. */
  async inbox(): Promise<PendingAction[]> {
    // One page of 200: the tests' users take part in a few projects.
    const reply = await this.api.call('GET', '/api/inbox?limit=200', { token: this.user.token });
    const items = expectStatus(reply, 200, `${this.user.name}: inbox`).body
      .items as PendingAction[];
    return items.filter((item) => item.projectId === this.projectId);
  }

  /** The user's in-app notifications about this project, newest first. */
  async notifications(): Promise<InboxItem[]> {
    const reply = await this.api.call('GET', '/api/inbox/notifications?limit=200', {
      token: this.user.token,
    });
    const page = bodyOf<Page<InboxItem>>(reply, 200, `${this.user.name}: notifications`);
    return page.items.filter((item) => item.projectId === this.projectId);
  }

  /** Waits until the inbox asks for `action` on `nodeId`; returns those items. */
  async awaitAction(nodeId: string, action: PendingAction['action']): Promise<PendingAction[]> {
    const items = await eventually(
      `${action} on ${nodeId} in ${this.user.name}'s inbox`,
      () => this.inbox(),
      (all) => all.some((i) => i.nodeId === nodeId && i.action === action),
    );
    return items.filter((i) => i.nodeId === nodeId && i.action === action);
  }

  /** Submits every required deliverable of `nodeId` the inbox asks this user for. */
  async submitDeliverables(nodeId: string): Promise<void> {
    for (const item of await this.awaitAction(nodeId, 'submit-deliverable')) {
      await this.call('POST', `/nodes/${nodeId}/deliverables/${item.itemId}`, 200, {
        url: `https://docs.example.test/${item.itemId}`,
      });
    }
  }

  /** Submits the stage's deliverables, then completes it once the inbox offers that. */
  async completeStage(nodeId: string): Promise<Reply> {
    await this.submitDeliverables(nodeId);
    await this.awaitAction(nodeId, 'complete-stage');
    return this.call('POST', `/nodes/${nodeId}/complete`, 200, {});
  }

  /** Agrees the project's metrics for operations once the inbox asks for it at `nodeId`. */
  async agreeMetrics(nodeId: string): Promise<Reply> {
    await this.awaitAction(nodeId, 'agree-metrics');
    return this.call('POST', '/metrics/agree', 200, { comment: `${this.user.name} agrees` });
  }

  /** Records each open readiness item of `nodeId` the inbox asks this user for, as met. */
  async recordReadiness(nodeId: string): Promise<void> {
    const gate = nodeOf(this.template, nodeId);
    if (gate.type !== 'gate') throw new Error(`${nodeId} is not a gate`);
    for (const item of await this.awaitAction(nodeId, 'record-readiness')) {
      const body = readinessItemInput(gate, item.itemId);
      await this.call('POST', `/nodes/${nodeId}/readiness`, 200, body);
    }
  }

  /** Signs `nodeId` off `go` (with full marks) for the role the inbox names. */
  async signoff(
    nodeId: string,
    action: 'signoff' | 'accept-hypercare' = 'signoff',
  ): Promise<Reply> {
    const [item] = await this.awaitAction(nodeId, action);
    return this.call('POST', `/nodes/${nodeId}/signoffs`, 200, {
      decision: 'go',
      role: item!.roles[0],
      criteria: fullMarks(nodeOf(this.template, nodeId)),
      comment: `${this.user.name} agrees`,
    });
  }
}
