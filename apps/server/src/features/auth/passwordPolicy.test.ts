import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_COUNT, weakPasswordReason } from './passwordPolicy.js';

describe('weakPasswordReason', () => {
  it('ships at least 10,000 common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(10_000);
  });

  it.each(['password', '12345678', 'qwertyuiop', 'iloveyou', 'PASSWORD', 'Password1', 'letmein1', 'pass word', 'password!!'])(
    'refuses the common %s',
    (password) => {
      expect(weakPasswordReason(password, 'someone')).toMatch(/too common/);
    },
  );

  it.each(['alice_smith', 'ALICE_SMITH', 'alice_smith1', 'alice_smith2024!', '!alice_smith', 'alicesmith', 'htims_ecila', 'alice_smithalice_smith'])(
    'refuses %s for the user alice_smith',
    (password) => {
      expect(weakPasswordReason(password, 'alice_smith')).toMatch(/not your username/);
    },
  );

  it('refuses a username that ends in digits, padded with more', () => {
    expect(weakPasswordReason('self_4242_7_0190!', 'self_4242_7_0190')).toMatch(/not your username/);
    expect(weakPasswordReason('SELF_4242_7_01901', 'self_4242_7_0190')).toMatch(/not your username/);
  });

  it.each(['correct horse', 'long enough', 'a much better passphrase', 'Tr0ub4dor&3xyz', 'alice_smith likes tea'])('accepts %s', (password) => {
    expect(weakPasswordReason(password, 'alice_smith')).toBeNull();
  });
});
