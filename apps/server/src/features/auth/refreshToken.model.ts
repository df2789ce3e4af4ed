import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

const refreshTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Types.ObjectId, required: true, index: true },
    /** Every token born of one sign-in shares a family; reuse of a rotated one revokes it all. */
    familyId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

export type RefreshTokenDocument = InferSchemaType<typeof refreshTokenSchema>;

export function refreshTokenModel(connection: Connection): Model<RefreshTokenDocument> {
  return connection.models.RefreshToken ?? connection.model('RefreshToken', refreshTokenSchema);
}
