import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { compileTrust, isAllowedOrigin, ownOriginOf, protocolOf } from './origin.js';

describe('isAllowedOrigin', () => {
  const own = ownOriginOf('https', 'chat.example');
  it('allows no Origin, the request’s own origin and listed ones', () => {
    expect(isAllowedOrigin(undefined, own, [])).toBe(true);
    expect(isAllowedOrigin('https://chat.example', own, [])).toBe(true);
    expect(isAllowedOrigin('https://chat.example:443', own, [])).toBe(true);
    expect(isAllowedOrigin('https://app.example', own, ['https://app.example'])).toBe(true);
  });

  it('compares scheme, host and port, not the host alone', () => {
    expect(isAllowedOrigin('http://chat.example', own, [])).toBe(false);
    expect(isAllowedOrigin('https://chat.example:8443', own, [])).toBe(false);
    expect(isAllowedOrigin('http://app.example', own, ['https://app.example'])).toBe(false);
    expect(isAllowedOrigin('https://evil.example', own, [])).toBe(false);
    expect(isAllowedOrigin('null', own, [])).toBe(false);
    expect(isAllowedOrigin('not a url', own, [])).toBe(false);
  });
});

describe('protocolOf (the handshake’s scheme)', () => {
  const request = (remoteAddress: string, forwardedProto?: string) =>
    ({ socket: { remoteAddress }, headers: forwardedProto ? { 'x-forwarded-proto': forwardedProto } : {} }) as unknown as IncomingMessage;

  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(protocolOf(request('10.0.0.5', 'https'), compileTrust(false))).toBe('http');
    expect(protocolOf(request('10.0.0.5', 'https'), compileTrust(1))).toBe('https');
    expect(protocolOf(request('10.0.0.5', 'https, http'), compileTrust(['10.0.0.0/8']))).toBe('https');
    expect(protocolOf(request('192.168.1.9', 'https'), compileTrust(['10.0.0.0/8']))).toBe('http');
  });
});
