import { Schema, Types, type Connection } from 'mongoose';

/**
 * One summary per conversation (ADR 0019), `_id` = its conversation key. Written raw by the
 * message store (store/conversationSummaries.ts) and the bench seeder; this schema declares the
 * shape and the index. `lastMessage` is the newest message exactly as stored in `messages`;
 * `unread` and `readAt` are keyed by user id (hex).
 */
const conversationSchema = new Schema(
  {
    _id: { type: String },
    participants: { type: [Types.ObjectId], required: true },
    lastActivityAt: { type: Date, required: true },
    lastMessage: { type: Schema.Types.Mixed, required: true },
    unread: { type: Schema.Types.Mixed, default: {} },
    readAt: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'conversations', versionKey: false },
);

// A user's conversation list, newest activity first, paged by (lastActivityAt, _id).
conversationSchema.index({ participants: 1, lastActivityAt: -1, _id: -1 });

/**
 * Every conversation partner of a user (`_id` = user id hex, `ids` = partner ids hex): read by
 * `_id` on every connect (presence), which FerretDB serves without a scan.
 */
const messagePartnersSchema = new Schema(
  {
    _id: { type: String },
    ids: { type: [String], default: [] },
  },
  { collection: 'message_partners', versionKey: false },
);

/** What the models are for here: their indexes (db/connect.ts creates them). */
interface IndexDeclaration {
  createIndexes(): Promise<unknown>;
}

/** Declarations only: the store reads and writes these collections through the driver. */
export function conversationModels(connection: Connection): { Conversations: IndexDeclaration; MessagePartners: IndexDeclaration } {
  return {
    Conversations: connection.models.Conversation ?? connection.model('Conversation', conversationSchema),
    MessagePartners: connection.models.MessagePartners ?? connection.model('MessagePartners', messagePartnersSchema),
  };
}
