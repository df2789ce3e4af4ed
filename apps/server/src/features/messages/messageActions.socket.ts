import { DeleteMessagePayloadSchema, EditMessagePayloadSchema, type Message, type MessageAck } from '@parley/protocol';
import { parseInput } from '../../lib/validate.js';
import { onAckedEvent, type AckedEventDeps } from '../../socket/ackedEvent.js';
import { userRoom } from '../../socket/rooms.js';
import type { AppServer, AppSocket } from '../../socket/types.js';
import type { MessageActionsService } from './messageActions.service.js';

interface Deps extends AckedEventDeps {
  io: AppServer;
  actions: MessageActionsService;
}

/** `edit_message` and `delete_message`: stored first, then `message_updated` to both people, then the ack. */
export function registerMessageActionHandlers(socket: AppSocket, deps: Deps): void {
  const { io, actions } = deps;
  const { userId } = socket.data;

  // One emit per user room (never a list of rooms), so a cross-node adapter sees one target each.
  function announce(message: Message): void {
    io.to(userRoom(message.sender)).emit('message_updated', { message });
    io.to(userRoom(message.receiver)).emit('message_updated', { message });
  }

  onAckedEvent(socket, deps, 'edit_message', async (payload): Promise<MessageAck> => {
    const { message, changed } = await actions.edit(userId, parseInput(EditMessagePayloadSchema, payload));
    if (changed) announce(message);
    return { ok: true, message };
  });

  onAckedEvent(socket, deps, 'delete_message', async (payload): Promise<MessageAck> => {
    const { message, changed } = await actions.remove(userId, parseInput(DeleteMessagePayloadSchema, payload));
    if (changed) announce(message);
    return { ok: true, message };
  });
}
