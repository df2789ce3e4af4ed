import type { RecordingSocket, TestUser } from './clients.js';
import type { serverForThisFile } from './testServer.js';

/**
 * A socket that watches from now on: the server joins it to its partners' presence rooms before
 * it sends `online_users`, so that is when watching starts.
 */
export async function watchingSocket(file: ReturnType<typeof serverForThisFile>, user: TestUser): Promise<RecordingSocket> {
  const socket = await file.open(user);
  await socket.waitFor('online_users');
  return socket;
}

/** The `user_online` / `user_offline` events `observer` heard about `userId`. */
export function eventsAbout(observer: RecordingSocket, event: 'user_online' | 'user_offline', userId: string) {
  return observer.events<{ userId: string }>(event).filter((payload) => payload.userId === userId);
}
