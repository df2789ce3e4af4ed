import { Types, type Connection } from 'mongoose';
import type { Message } from '@parley/protocol';
import { AppError } from '../../../lib/AppError.js';
import type { NewMessage } from './messageStore.js';

/** A message as the `messages` collection holds it (the shared schema, BRIEF/ADR 0019). */
export interface StoredMessage {
  _id: ObjectId;
  conversationKey: string;
  participants: [ObjectId, ObjectId];
  sender: ObjectId;
  receiver: ObjectId;
  clientMessageId: string;
  content: string;
  createdAt: Date;
  updatedAt: Date;
  isRead: boolean;
  readAt: Date | null;
  deliveredAt: Date | null;
  replyTo: { id: ObjectId; sender: ObjectId; content: string } | null;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** A conversation summary as the `conversations` collection holds it. */
export interface StoredSummary {
  _id: string;
  participants: ObjectId[];
  lastActivityAt: Date;
  lastMessage: StoredMessage;
  unread?: Record<string, number>;
  readAt?: Record<string, Date>;
}

/** The raw driver collections of the store (lean path: no mongoose documents). */
export interface StoreCollections {
  messages: ReturnType<Connection['collection']>;
  conversations: ReturnType<Connection['collection']>;
  partners: ReturnType<Connection['collection']>;
  meta: ReturnType<Connection['collection']>;
  nodes: ReturnType<Connection['collection']>;
}

export function storeCollections(connection: Connection): StoreCollections {
  return {
    messages: connection.collection('messages'),
    conversations: connection.collection('conversations'),
    partners: connection.collection('message_partners'),
    meta: connection.collection('meta'),
    nodes: connection.collection('message_store_nodes'),
  };
}

/** An id from outside: a malformed one is a validation error, never a driver error. */
export function oid(id: string): ObjectId {
  if (!ObjectId.isValid(id)) throw new AppError('VALIDATION_ERROR', 'Not a valid id');
  return new ObjectId(id);
}

export const ObjectId = Types.ObjectId;
export type ObjectId = Types.ObjectId;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** Messages leave the store already in their wire shape: plain, no _id. */
export function toMessage(doc: StoredMessage): Message {
  return {
    id: doc._id.toHexString(),
    clientMessageId: doc.clientMessageId,
    sender: doc.sender.toHexString(),
    receiver: doc.receiver.toHexString(),
    content: doc.content,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    isRead: doc.isRead ?? false,
    readAt: iso(doc.readAt),
    deliveredAt: iso(doc.deliveredAt),
    replyTo: doc.replyTo
      ? { id: doc.replyTo.id.toHexString(), sender: doc.replyTo.sender.toHexString(), content: doc.replyTo.content ?? '' }
      : null,
    editedAt: iso(doc.editedAt),
    deletedAt: iso(doc.deletedAt),
  };
}

/** A new message's document: every field of the shared schema, defaults included. */
export function newStoredMessage(input: NewMessage, conversationKey: string, at: Date): StoredMessage {
  const sender = oid(input.sender);
  const receiver = oid(input.receiver);
  return {
    _id: new ObjectId(),
    conversationKey,
    participants: [sender, receiver],
    sender,
    receiver,
    clientMessageId: input.clientMessageId,
    content: input.content,
    createdAt: at,
    updatedAt: at,
    isRead: false,
    readAt: null,
    deliveredAt: null,
    replyTo: input.replyTo ? { id: oid(input.replyTo.id), sender: oid(input.replyTo.sender), content: input.replyTo.content } : null,
    editedAt: null,
    deletedAt: null,
  };
}

/** Newest first, as history orders them: by createdAt, then _id. */
export function isNewer(a: Pick<StoredMessage, '_id' | 'createdAt'>, b: Pick<StoredMessage, '_id' | 'createdAt'>): boolean {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime !== 0 ? byTime > 0 : a._id.toHexString() > b._id.toHexString();
}
