import {
  API_PREFIX,
  AuthResponseSchema,
  ConversationsResponseSchema,
  ErrorResponseSchema,
  MeResponseSchema,
  MessagesPageSchema,
  SyncResponseSchema,
  UsersResponseSchema,
  type AuthResponse,
  type Conversation,
  type LoginBody,
  type MeUser,
  type MessagesPage,
  type RegisterBody,
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
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH';
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
    return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
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
  searchUsers(query: string): Promise<UserWithPresence[]>;
  conversations(): Promise<Conversation[]>;
  messages(userId: string, before?: string | null): Promise<MessagesPage>;
  /** Changes after (`since`, `after`); `after` only when reading on from a previous page. */
  sync(since: string, after?: string | null): Promise<SyncResponse>;
  /** The signed-in user with their settings (`showPresence`). */
  me(): Promise<MeUser>;
  updateMe(changes: UpdateMeBody): Promise<MeUser>;
}

export interface TokenSource {
  getToken(): string | null;
  /** A fresh access token, or null when the session is gone. */
  refresh(): Promise<string | null>;
}

/**
 * The authenticated routes. A 401 means the access token expired under us: refresh once
 * (the refresh is shared with everyone else asking) and retry with the new token.
 */
export function createParleyApi(tokens: TokenSource): ParleyApi {
  async function authed<T>(path: string, parser: Parser<T>, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
    try {
      return await requestJson(path, parser, { ...options, token: tokens.getToken() });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      const token = await tokens.refresh();
      if (!token) throw error;
      return requestJson(path, parser, { ...options, token });
    }
  }

  return {
    searchUsers: async (query) => {
      const params = new URLSearchParams();
      if (query.trim()) params.set('q', query.trim());
      const suffix = params.size ? `?${params}` : '';
      return (await authed(`/users${suffix}`, UsersResponseSchema)).users;
    },
    conversations: async () => (await authed('/conversations', ConversationsResponseSchema)).conversations,
    me: async () => (await authed('/users/me', MeResponseSchema)).user,
    updateMe: async (changes) => (await authed('/users/me', MeResponseSchema, { method: 'PATCH', body: changes })).user,
    messages: (userId, before) => {
      const params = new URLSearchParams();
      if (before) params.set('before', before);
      const suffix = params.size ? `?${params}` : '';
      return authed(`/messages/${encodeURIComponent(userId)}${suffix}`, MessagesPageSchema);
    },
    sync: (since, after) => {
      const params = new URLSearchParams({ since });
      if (after) params.set('after', after);
      return authed(`/sync?${params}`, SyncResponseSchema);
    },
  };
}
