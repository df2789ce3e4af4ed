import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { searchWordsOf } from './searchWords.js';

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    lastSeen: { type: Date, default: null },
    /** v2 privacy (PATCH /api/users/me): false hides this user's presence from everyone. */
    showPresence: { type: Boolean, default: true },
    /** searchWordsOf(displayName): what a directory search matches by prefix (searchWords.ts). */
    nameWords: { type: [String], default: undefined },
  },
  { timestamps: true },
);

// A multikey index: an anchored regex on it is an index range scan on MongoDB.
userSchema.index({ nameWords: 1 });

userSchema.pre('save', function () {
  if (this.isModified('displayName') || !this.nameWords?.length) this.nameWords = searchWordsOf(this.displayName);
});

// Whoever renames a user through an update (PATCH /api/users/me) keeps the words in step.
userSchema.pre(['updateOne', 'findOneAndUpdate', 'updateMany'], function () {
  const update = this.getUpdate() as { $set?: { displayName?: unknown }; displayName?: unknown } | null;
  const displayName = update?.$set?.displayName ?? update?.displayName;
  if (typeof displayName === 'string') this.set('nameWords', searchWordsOf(displayName));
});

export type UserDocument = InferSchemaType<typeof userSchema>;

export function userModel(connection: Connection): Model<UserDocument> {
  return connection.models.User ?? connection.model('User', userSchema);
}
