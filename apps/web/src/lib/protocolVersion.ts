// Placeholder until @parley/protocol exports PROTOCOL_VERSION and the refusal code (issue 16).
export const PROTOCOL_VERSION = 1;
export const SOCKET_CLIENT_TOO_OLD = 'CLIENT_TOO_OLD';
