import {
  API_PREFIX,
  AuthResponseSchema,
  ConversationsResponseSchema,
  ErrorResponseSchema,
  MessageSearchResponseSchema,
  FieldErrorsDetailsSchema,
  MeResponseSchema,
  MessagesPageSchema,
  SessionsResponseSchema,
  SyncResponseSchema,
  UsersResponseSchema,
  type AuthResponse,
  type ChangePasswordBody,
  type ConversationsResponse,
  type LoginBody,
  type MessageSearchResponse,
  type MeUser,
  type MessagesPage,
  type RegisterBody,
  type Session,
  type SyncResponse,
  type UpdateMeBody,
  type UserWithPresence,
} from '@parley/protocol';

/** Anything with a zod-style `parse`: the protocol's schemas, without importing zod here. */
interface Parser<T> {
  parse(input: unknown): T;
}

/** Client-side codes for failures that never reached (or never came back from) the server. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/** Every failed request becomes one of these: `code` is the server's error code (or a client one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per form field, what is wrong, for a person (`details.fields`, contract v2). */
    readonly fields: Readonly<Record<string, string>> = {},
    /** Seconds to wait before trying again (`Retry-After` of a 429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string | null;
}

async function send(path: string, { method = 'GET', body, token }: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // The refresh cookie is httpOnly and scoped to /api/auth: the browser attaches it for us.
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR' satisfies ClientErrorCode, 'Could not reach the server.');
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = ErrorResponseSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    const fields = FieldErrorsDetailsSchema.safeParse(details);
    const retryAfter = Number(response.headers.get('Retry-After'));
    return new ApiError(
      response.status,
      code,
      message,
      fields.success ? fields.data.fields : {},
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return new ApiError(response.status, 'INTERNAL_ERROR', `Request failed (${response.status}).`);
}

async function requestJson<T>(path: string, parser: Parser<T>, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  const body: unknown = await response.json().catch(() => null);
  try {
    return parser.parse(body);
  } catch {
    throw new ApiError(response.status, 'INVALID_RESPONSE' satisfies ClientErrorCode, 'Unexpected answer from the server.');
  }
}

/** The unauthenticated auth routes: the refresh cookie does the work for refresh and logout. */
export const authApi = {
  register: (body: RegisterBody): Promise<AuthResponse> =>
    requestJson('/auth/register', AuthResponseSchema, { method: 'POST', body }),
  login: (body: LoginBody): Promise<AuthResponse> =>
    requestJson('/auth/login', AuthResponseSchema, { method: 'POST', body }),
  refresh: (): Promise<AuthResponse> => requestJson('/auth/refresh', AuthResponseSchema, { method: 'POST' }),
  logout: async (): Promise<void> => {
    await send('/auth/logout', { method: 'POST' });
  },
};

export interface ParleyApi {
  /** v2 account: sessions of this user (this one marked `current`), ending them, password, profile. */
  sessions(): Promise<Session[]>;
  endSession(sessionId: string): Promise<void>;
  endAllSessions(): Promise<void>;
  changePassword(body: ChangePasswordBody): Promise<void>;
  updateMe(body: UpdateMeBody): Promise<MeUser>;
  /** The signed-in user with their settings (`showPresence`). */
  me(): Promise<MeUser>;
  searchUsers(query: string): Promise<UserWithPresence[]>;
  /** One page of the conversation list, newest activity first; `before` is a previous page's `nextCursor`. */
  conversations(page?: { limit?: number; before?: string | null }): Promise<ConversationsResponse>;
  messages(userId: string, before?: string | null): Promise<MessagesPage>;
  /** Hits for `query` in the conversation with `userId`, newest first; `before` pages back. */
  searchMessages(userId: string, query: string, before?: string | null): Promise<MessageSearchResponse>;
  /** Changes after (`since`, `after`); `after` only when reading on from a previous page. */
  sync(since: string, after?: string | null): Promise<SyncResponse>;
}

export interface TokenSource {
  getToken(): string | null;
  /** A fresh access token, or null when the session is gone. */
  refresh(): Promise<string | null>;
  /** The server said this session was ended (401 `SESSION_REVOKED`): no refresh can help. */
  sessionEnded(): void;
}

/**
 * The authenticated routes. A 401 means the access token expired under us: refresh once
 * (the refresh is shared with everyone else asking) and retry with the new token.
 */
export function createParleyApi(tokens: TokenSource): ParleyApi {
  async function withFreshToken<T>(request: (token: string | null) => Promise<T>): Promise<T> {
    try {
      return await request(tokens.getToken());
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      // An ended session cannot be renewed; only an expired token can.
      if (error.code === 'SESSION_REVOKED') {
        tokens.sessionEnded();
        throw error;
      }
      const token = await tokens.refresh();
      if (!token) throw error;
      return request(token);
    }
  }

  function authed<T>(path: string, parser: Parser<T>, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
    return withFreshToken((token) => requestJson(path, parser, { ...options, token }));
  }

  function authedNoContent(path: string, options: Omit<RequestOptions, 'token'>): Promise<void> {
    return withFreshToken(async (token) => {
      await send(path, { ...options, token });
    });
  }

  return {
    sessions: async () => (await authed('/auth/sessions', SessionsResponseSchema)).sessions,
    endSession: (sessionId) => authedNoContent(`/auth/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' }),
    endAllSessions: () => authedNoContent('/auth/logout-all', { method: 'POST' }),
    changePassword: (body) => authedNoContent('/auth/password', { method: 'POST', body }),
    updateMe: async (body) => (await authed('/users/me', MeResponseSchema, { method: 'PATCH', body })).user,
    me: async () => (await authed('/users/me', MeResponseSchema)).user,
    searchUsers: async (query) => {
      const params = new URLSearchParams();
      if (query.trim()) params.set('q', query.trim());
      const suffix = params.size ? `?${params}` : '';
      return (await authed(`/users${suffix}`, UsersResponseSchema)).users;
    },
    conversations: (page = {}) => {
      const params = new URLSearchParams();
      if (page.limit) params.set('limit', String(page.limit));
      if (page.before) params.set('before', page.before);
      const suffix = params.size ? `?${params}` : '';
      return authed(`/conversations${suffix}`, ConversationsResponseSchema);
    },
    messages: (userId, before) => {
      const params = new URLSearchParams();
      if (before) params.set('before', before);
      const suffix = params.size ? `?${params}` : '';
      return authed(`/messages/${encodeURIComponent(userId)}${suffix}`, MessagesPageSchema);
    },
    searchMessages: (userId, query, before) => {
      const params = new URLSearchParams({ q: query });
      if (before) params.set('before', before);
      return authed(`/messages/${encodeURIComponent(userId)}/search?${params}`, MessageSearchResponseSchema);
    },
    sync: (since, after) => {
      const params = new URLSearchParams({ since });
      if (after) params.set('after', after);
      return authed(`/sync?${params}`, SyncResponseSchema);
    },
  };
}
