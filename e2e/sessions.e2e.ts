import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  baseUrl,
  browserSession,
  openChatWith,
  openTab,
  screenshot,
  signInViaUi,
  waitConnected,
} from './support/browser.js';

/** Every Content-Security-Policy complaint the page logs: the built app must cause none. */
function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  return found;
}

async function refreshStatus(page: Page): Promise<number> {
  return page.evaluate(async () => (await fetch('/api/auth/refresh', { method: 'POST' })).status);
}

describe('sessions: signing out ends them at once, in every tab and from the settings screen', () => {
  const session = browserSession();

  it('sign out in tab A: tab B lands on sign-in within 2 s, can no longer send, and nothing of hers is left in storage', async () => {
    const { person: alice, context, id: aliceId } = await session.registered('Alice');
    const { person: bob } = await session.registered('Bob');
    const tabA = await openTab(context);
    const tabB = await openTab(context);
    const violations = [...cspViolations(tabA.page), ...cspViolations(tabB.page)];
    await waitConnected(tabA.page);
    await waitConnected(tabB.page);
    await openChatWith(tabB.page, bob);
    await screenshot(tabB.page, 'sessions-01-tab-b-in-a-chat');

    await tabA.page.getByRole('button', { name: 'Sign out' }).click();
    await tabB.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 2000 });
    await screenshot(tabB.page, 'sessions-02-tab-b-signed-out');

    // No composer, no socket, no session behind the cookie, no outbox or sync point kept.
    expect(await tabB.page.getByLabel('Message', { exact: true }).count()).toBe(0);
    await expect.poll(() => tabB.sockets.open).toBe(0);
    expect(await refreshStatus(tabB.page)).toBe(401);
    const stored = await tabB.page.evaluate(() => Object.keys(localStorage));
    expect(stored.filter((key) => key.endsWith(`:${aliceId}`))).toEqual([]);
    await signInViaUi(tabB.page, alice);
    await waitConnected(tabB.page);
    expect(violations).toEqual([]);
  });

  it('the settings screen lists the sessions and signs another device out; that device lands on sign-in saying why', async () => {
    const { person: alice, context: laptop } = await session.registered('Alice');
    const { context: phone } = await session.person('AlicePhone');
    const phoneTab = await openTab(phone);
    await phoneTab.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signInViaUi(phoneTab.page, alice);
    await waitConnected(phoneTab.page);

    const laptopTab = await openTab(laptop);
    const violations = cspViolations(laptopTab.page);
    await waitConnected(laptopTab.page);
    await laptopTab.page.getByRole('button', { name: 'Settings' }).click();
    const sessions = laptopTab.page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    await expect.poll(() => sessions.count()).toBe(2);
    const here = sessions.filter({ hasText: 'This device' });
    expect(await here.count()).toBe(1);
    expect(await here.getByRole('button').count()).toBe(0);
    await screenshot(laptopTab.page, 'sessions-03-settings');
    // On a phone the header and the settings fit the width.
    await laptopTab.page.setViewportSize({ width: 390, height: 800 });
    expect(await laptopTab.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(laptopTab.page, 'sessions-03-settings-phone');
    await laptopTab.page.setViewportSize({ width: 1100, height: 720 });

    await sessions.getByRole('button', { name: /^Sign out / }).click();
    await phoneTab.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    await phoneTab.page.getByText('You were signed out: this session was ended from another device or tab.').waitFor();
    await screenshot(phoneTab.page, 'sessions-04-phone-signed-out');
    await expect.poll(() => phoneTab.sockets.open).toBe(0);
    expect(phoneTab.sockets.received('session_expired')).toEqual([{ code: 'SESSION_REVOKED' }]);
    expect(await refreshStatus(phoneTab.page)).toBe(401);

    // The laptop goes on, with one session left.
    await expect.poll(() => sessions.count()).toBe(1);
    await laptopTab.page.getByRole('button', { name: 'Back to chats' }).click();
    await waitConnected(laptopTab.page);
    expect(violations).toEqual([]);
  });
});

describe('the production build', () => {
  it('publishes no source maps and sends a CSP without inline styles', async () => {
    const dist = fileURLToPath(new URL('../apps/web/dist/assets', import.meta.url));
    expect(existsSync(dist)).toBe(true);
    expect(readdirSync(dist).filter((file) => file.endsWith('.map'))).toEqual([]);

    const page = await fetch(baseUrl());
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).not.toMatch(/<style|style="/);
    for (const [, src] of html.matchAll(/<script[^>]+src="([^"]+)"/g)) {
      const script = await (await fetch(new URL(src!, baseUrl()))).text();
      expect(script).not.toContain('sourceMappingURL');
    }
  });
});
