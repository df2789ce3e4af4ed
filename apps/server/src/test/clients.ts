import { io as connectClient, type Socket } from 'socket.io-client';
import {
  MESSAGES_PAGE_MAX,
  type AuthResponse,
  type ClientToServerEvents,
  type ConversationsResponse,
  type Message,
  type MessagesPage,
  type ServerEventName,
  type ServerToClientEvents,
  type UserWithPresence,
  type UsersResponse,
} from '@parley/protocol';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let counter = 0;
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 6)}`.slice(0, 32);
}

export interface TestUser extends AuthResponse {
  refreshCookie: string;
}

export function refreshCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('parley_rt='));
  if (!cookie) throw new Error('no refresh cookie was set');
  return cookie.split(';')[0]!;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export async function registerUser(baseUrl: string, username = uniqueUsername(), displayName?: string): Promise<TestUser> {
  const response = await postJson(`${baseUrl}/api/auth/register`, { username, password: 'correct horse', ...(displayName ? { displayName } : {}) });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as AuthResponse;
  return { ...body, refreshCookie: refreshCookieOf(response) };
}

/** Another sign-in (session) of an existing user. */
export async function signIn(baseUrl: string, username: string, password = 'correct horse', headers: Record<string, string> = {}): Promise<TestUser> {
  const response = await postJson(`${baseUrl}/api/auth/login`, { username, password }, headers);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as AuthResponse;
  return { ...body, refreshCookie: refreshCookieOf(response) };
}

export async function getJson<T>(baseUrl: string, path: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

export async function patchJson<T>(baseUrl: string, path: string, token: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Every message between `user` and `partnerId`, oldest first, read through the history API page by page. */
export async function conversationWith(baseUrl: string, user: TestUser, partnerId: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let before: string | null = null;
  do {
    const query: string = `?limit=${MESSAGES_PAGE_MAX}${before ? `&before=${before}` : ''}`;
    const { status, body } = await getJson<MessagesPage>(baseUrl, `/api/messages/${partnerId}${query}`, user.accessToken);
    if (status !== 200) throw new Error(`history failed: ${status}`);
    pages.unshift(body.messages);
    before = body.nextCursor;
  } while (before);
  return pages.flat();
}

/** The people `user` has a conversation with, as `GET /api/conversations` lists them. */
export async function conversationPartnersOf(baseUrl: string, user: TestUser): Promise<string[]> {
  const { body } = await getJson<ConversationsResponse>(baseUrl, '/api/conversations', user.accessToken);
  return body.conversations.map((conversation) => conversation.user.id);
}

/** The user directory as `viewer` sees it (`GET /api/users?q=`). */
export async function directoryAs(baseUrl: string, viewer: TestUser, q = ''): Promise<UserWithPresence[]> {
  const { body } = await getJson<UsersResponse>(baseUrl, `/api/users?q=${encodeURIComponent(q)}`, viewer.accessToken);
  return body.users;
}

/** A real socket.io-client, websocket only, that records every server event it receives. */
export function openSocket(
  baseUrl: string,
  token: unknown,
  options: { autoConnect?: boolean; protocolVersion?: unknown } = {},
): RecordingSocket {
  // No protocolVersion unless asked: most tests speak as a v1 client of the published contract.
  const auth = 'protocolVersion' in options ? { token, protocolVersion: options.protocolVersion } : { token };
  const socket: ClientSocket = connectClient(baseUrl, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: options.autoConnect ?? true,
  });
  return new RecordingSocket(socket);
}

export interface Received {
  event: ServerEventName;
  payload: unknown;
}

export class RecordingSocket {
  readonly received: Received[] = [];

  constructor(readonly socket: ClientSocket) {
    socket.onAny((event: ServerEventName, payload: unknown) => this.received.push({ event, payload }));
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (error) => reject(error));
    });
  }

  /** Resolves with the connect_error the handshake was refused with. */
  refused(): Promise<Error & { data?: unknown }> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => reject(new Error('the socket connected')));
      this.socket.once('connect_error', (error) => resolve(error));
    });
  }

  events<T = unknown>(event: ServerEventName): T[] {
    return this.received.filter((entry) => entry.event === event).map((entry) => entry.payload as T);
  }

  /** Waits until `count` events of this name have arrived (counting those already here). */
  async waitFor<T = unknown>(event: ServerEventName, count = 1, timeoutMs = 5000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events(event).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} × ${event}; got ${this.events(event).length}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.events<T>(event);
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function connectedSocket(baseUrl: string, token: string): Promise<RecordingSocket> {
  const recording = openSocket(baseUrl, token);
  await recording.connected();
  return recording;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when any of `needles` (socket ids, say) appears anywhere in the payload's JSON. */
export function payloadMentions(payload: unknown, needles: string[]): boolean {
  const text = JSON.stringify(payload);
  return needles.some((needle) => text.includes(needle));
}

/** Two fresh users, each with one connected socket: the cast of most messaging tests. */
export async function connectedPair(baseUrl: string) {
  const [a, b] = [await registerUser(baseUrl), await registerUser(baseUrl)];
  const [aSocket, bSocket] = [await connectedSocket(baseUrl, a.accessToken), await connectedSocket(baseUrl, b.accessToken)];
  return { a, b, aSocket, bSocket };
}
