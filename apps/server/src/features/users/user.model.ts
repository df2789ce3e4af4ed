import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    lastSeen: { type: Date, default: null },
    /** v2 privacy (PATCH /api/users/me): false hides this user's presence from everyone. */
    showPresence: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export type UserDocument = InferSchemaType<typeof userSchema>;

export function userModel(connection: Connection): Model<UserDocument> {
  return connection.models.User ?? connection.model('User', userSchema);
}
