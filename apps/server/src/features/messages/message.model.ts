import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

const messageSchema = new Schema(
  {
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

// A conversation's history, newest first, from either side (queried as two branches of $or).
messageSchema.index({ sender: 1, receiver: 1, createdAt: -1, _id: -1 });
// A retried send finds the stored message instead of storing a second copy.
messageSchema.index({ sender: 1, clientMessageId: 1 }, { unique: true });
// Unread counts and mark-as-read.
messageSchema.index({ receiver: 1, isRead: 1, sender: 1 });
// Catch-up: every change to or from a user since a point in time.
messageSchema.index({ sender: 1, updatedAt: 1, _id: 1 });
messageSchema.index({ receiver: 1, updatedAt: 1, _id: 1 });

export type MessageDocument = InferSchemaType<typeof messageSchema>;

export function messageModel(connection: Connection): Model<MessageDocument> {
  return connection.models.Message ?? connection.model('Message', messageSchema);
}
