import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

/** One sign-in: its id is the access tokens' `sid` claim and its refresh tokens' family. */
const sessionSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, index: true },
    userAgent: { type: String, default: null },
    /** The last sign-in or refresh; never written per request. */
    lastUsedAt: { type: Date, required: true },
    /** Absolute end (SESSION_MAX_AGE_DAYS after sign-in): rotation never moves it. */
    expiresAt: { type: Date, required: true },
    /** Indexed for the start-up reload of recent revocations (RevokedSessions). */
    revokedAt: { type: Date, default: null, index: true },
  },
  { timestamps: true },
);

export type SessionDocument = InferSchemaType<typeof sessionSchema>;

export function sessionModel(connection: Connection): Model<SessionDocument> {
  return connection.models.Session ?? connection.model('Session', sessionSchema);
}
