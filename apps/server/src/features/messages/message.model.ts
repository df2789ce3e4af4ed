import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

const messageSchema = new Schema(
  {
    sender: { type: Types.ObjectId, required: true },
    receiver: { type: Types.ObjectId, required: true },
    clientMessageId: { type: String, required: true },
    content: { type: String, required: true },
    isRead: { type: Boolean, default: false },
    readAt: { type: Date, default: null },
    deliveredAt: { type: Date, default: null },
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
