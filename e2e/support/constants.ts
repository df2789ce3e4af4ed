/** The server's presence grace period in the e2e run: short, so that going offline is quick to see. */
export const PRESENCE_GRACE_MS = 1500;
