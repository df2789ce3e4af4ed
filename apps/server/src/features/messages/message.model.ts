import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * The messages collection (shared schema: the Mongo store and the bench seeder write these
 * fields raw, see features/messages/store/). The store writes through the driver, not through
 * this model: the schema declares fields and indexes, and old tools and tests read through it.
 */
const messageSchema = new Schema(
  {
    // "<minHex>:<maxHex>" (conversationKeyOf): one indexed equality finds a conversation.
    conversationKey: { type: String },
    // [sender, receiver]: one indexed equality finds everything to or from a user.
    participants: { type: [Types.ObjectId], default: undefined },
    sender: { type: Types.ObjectId, required: true },
    receiver: { type: Types.ObjectId, required: true },
    clientMessageId: { type: String, required: true },
    // A delete sets "" through an update (update validators are off), never through save().
    content: { type: String, required: true },
    isRead: { type: Boolean, default: false },
    readAt: { type: Date, default: null },
    deliveredAt: { type: Date, default: null },
    // Version 2. A reply's copy of the quoted message (first REPLY_PREVIEW_MAX_LENGTH characters);
    // it follows the quoted message's edits and deletes (messageActions.service.ts).
    replyTo: {
      type: new Schema(
        { id: { type: Types.ObjectId, required: true }, sender: { type: Types.ObjectId, required: true }, content: { type: String, default: '' } },
        { _id: false },
      ),
      default: null,
    },
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// A conversation's history, newest first; also search, reply previews (conversation first).
messageSchema.index({ conversationKey: 1, createdAt: -1, _id: -1 });
// A retried send finds the stored message instead of storing a second copy.
messageSchema.index({ sender: 1, clientMessageId: 1 }, { unique: true });
// Mark as read (and counting unread when a summary is rebuilt).
messageSchema.index({ conversationKey: 1, receiver: 1, isRead: 1 });
// Catch-up: every change to or from a user since a point in time (multikey on participants).
messageSchema.index({ participants: 1, updatedAt: 1, _id: 1 });

/** Indexes of earlier versions, dropped by the migration (each costs every insert). */
export const RETIRED_MESSAGE_INDEXES = [
  'sender_1_receiver_1_createdAt_-1__id_-1',
  'receiver_1_isRead_1_sender_1',
  'sender_1_updatedAt_1__id_1',
  'receiver_1_updatedAt_1__id_1',
];

export type MessageDocument = InferSchemaType<typeof messageSchema>;

export function messageModel(connection: Connection): Model<MessageDocument> {
  return connection.models.Message ?? connection.model('Message', messageSchema);
}
