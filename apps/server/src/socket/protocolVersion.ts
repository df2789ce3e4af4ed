import { PROTOCOL_VERSION, ProtocolVersionSchema, SOCKET_CLIENT_TOO_OLD, type ClientTooOld } from '@parley/protocol';

export type VersionVerdict = { ok: true } | { ok: false; message: string; data: unknown };

/**
 * The handshake's protocol rule (docs/decisions/0011): no declared version is a v1 client of the
 * published contract and is served; a declared version below `minVersion` is refused with a reason
 * a person can act on; a declared version that is not a positive integer is refused as invalid.
 */
export function checkProtocolVersion(auth: unknown, minVersion: number): VersionVerdict {
  // Only the version is judged here; the token is the next middleware's business.
  const parsed = ProtocolVersionSchema.optional().safeParse((auth as { protocolVersion?: unknown } | undefined)?.protocolVersion);
  if (!parsed.success) {
    return { ok: false, message: 'VALIDATION_ERROR', data: { code: 'VALIDATION_ERROR', message: 'auth.protocolVersion must be a positive integer' } };
  }
  const declared = parsed.data;
  if (declared === undefined || declared >= minVersion) return { ok: true };
  const data: ClientTooOld = {
    code: SOCKET_CLIENT_TOO_OLD,
    minVersion,
    serverVersion: PROTOCOL_VERSION,
    message: 'Parley was updated: reload the page to keep chatting',
  };
  return { ok: false, message: SOCKET_CLIENT_TOO_OLD, data };
}
