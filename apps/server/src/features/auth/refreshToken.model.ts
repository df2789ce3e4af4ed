import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * One refresh token of a session. Rotation is single-use by a unique index, not by an update:
 * each token names the token it replaced (`parentHash`), so a second child of the same parent is a
 * duplicate-key error on every database, FerretDB's non-atomic updates included (ADR 0004).
 * A session's first token has `parentHash: "session:<id>"`, unique too.
 */
const refreshTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    parentHash: { type: String, required: true, unique: true },
    sessionId: { type: Types.ObjectId, required: true, index: true },
    userId: { type: Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
  },
  // A v2 collection: v1 tokens had no session and no parent, so they end with the upgrade.
  { timestamps: true, collection: 'session_refresh_tokens' },
);

export type RefreshTokenDocument = InferSchemaType<typeof refreshTokenSchema>;

export function refreshTokenModel(connection: Connection): Model<RefreshTokenDocument> {
  return connection.models.SessionRefreshToken ?? connection.model('SessionRefreshToken', refreshTokenSchema);
}
