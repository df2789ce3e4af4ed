import { useCallback, useEffect, useState } from 'react';
import { useLocation, useMatch, useNavigate } from 'react-router';
import type { User } from '@parley/protocol';
import { useActivePeerId, useChatActions, useChatSelector } from '../features/chat/ChatContext';
import { useSession } from '../lib/session';

/** The address of a chat (contract v2 "Web addresses"). */
export function chatPath(username: string): string {
  return `/chat/${encodeURIComponent(username)}`;
}

/** Set on the history entry of a chat opened from the list: Back (ours or the phone's) returns there. */
interface FromList {
  fromList: true;
}

function cameFromList(state: unknown): state is FromList {
  return typeof state === 'object' && state !== null && (state as Partial<FromList>).fromList === true;
}

export interface ChatRoute {
  /** The username in the address, or null at the list. */
  username: string | null;
  /** The address names nobody we can find. */
  missing: boolean;
  /** Looking the person up failed (offline?): `retry` asks again. */
  failed: boolean;
  retry(): void;
  /** Opens a person's chat: a new address, so the browser's Back leaves it. */
  open(user: User): void;
  /** Back to the list: the way we came when we came from it. */
  back(): void;
}

/**
 * The address is the truth for which chat is open: `/chat/<username>` opens it (after a reload
 * or from a shared link, looking the person up when this session does not know them yet), `/`
 * shows the list. The chat feature only hears "open this user" and "close".
 */
export function useChatRoute(): ChatRoute {
  const match = useMatch('/chat/:username');
  const username = match?.params.username?.toLowerCase() ?? null;
  const navigate = useNavigate();
  const location = useLocation();
  const { api } = useSession();
  const { openChat, closeChat } = useChatActions();
  const activePeerId = useActivePeerId();
  const known = useChatSelector((state) => (username ? findByUsername(state.users, username) : undefined));
  const [missing, setMissing] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!username) {
      closeChat();
      return;
    }
    if (known) {
      openChat(known);
      return;
    }
    let current = true;
    api.searchUsers(username).then(
      (users) => {
        if (!current) return;
        const found = users.find((user) => user.username === username);
        if (found) openChat(found);
        else setMissing(username);
      },
      () => current && setFailed(username),
    );
    return () => {
      current = false;
    };
  }, [username, known, api, openChat, closeChat, attempt]);

  const open = useCallback(
    (user: User) => {
      openChat(user);
      if (user.username === username) return;
      // From the list a new entry (Back returns to it); from one chat to another, the same entry.
      navigate(chatPath(user.username), { state: { fromList: true } satisfies FromList, replace: activePeerId !== null });
    },
    [navigate, openChat, username, activePeerId],
  );

  const back = useCallback(() => {
    if (cameFromList(location.state)) navigate(-1);
    else navigate('/', { replace: true });
  }, [location.state, navigate]);

  const retry = useCallback(() => {
    setFailed(null);
    setAttempt((n) => n + 1);
  }, []);

  return {
    username,
    missing: username !== null && missing === username,
    failed: username !== null && failed === username,
    retry,
    open,
    back,
  };
}

function findByUsername(users: Readonly<Record<string, User>>, username: string): User | undefined {
  for (const id in users) if (users[id]!.username === username) return users[id];
  return undefined;
}
