import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type WebSocket } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';

export { PRESENCE_GRACE_MS } from './constants.js';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots', import.meta.url));
export const PASSWORD = 'correct horse battery';

export function baseUrl(): string {
  return inject('baseUrl');
}

/** A connection to the run's one Chromium (started by globalSetup); closing it closes its contexts. */
export function launchBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserWsEndpoint'));
}

/** One person's browser profile: its own cookies, storage and sockets. */
export function newPerson(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), viewport: { width: 1100, height: 720 } });
}

export interface Person {
  username: string;
  displayName: string;
}

/** A fresh, unique person: usernames are 3-32 of [a-z0-9_]. */
export function freshPerson(first: string): Person {
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return { username: `${first.toLowerCase()}_${suffix}`.slice(0, 32), displayName: `${first} ${suffix.slice(-5)}` };
}

/**
 * Registers through the API inside `context`, so the context holds the refresh cookie and the
 * next page it opens signs in silently. For set-up only; scenarios about sign-up use the UI.
 */
export async function registerViaApi(context: BrowserContext, person: Person): Promise<{ id: string }> {
  const response = await context.request.post('/api/auth/register', {
    data: { username: person.username, password: PASSWORD, displayName: person.displayName },
  });
  if (response.status() !== 201) throw new Error(`register ${person.username}: ${response.status()} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string } };
  return body.user;
}

export interface WireEvent {
  direction: 'in' | 'out';
  name: string;
  payload: unknown;
}

/** A Socket.IO EVENT packet ("42[...]" or "42<ackId>[...]") as seen on the wire, else null. */
function parseEventFrame(payload: string | Buffer): { name: string; payload: unknown } | null {
  if (typeof payload !== 'string') return null;
  const match = /^42\d*(\[.*)$/s.exec(payload);
  if (!match) return null;
  try {
    const [name, body] = JSON.parse(match[1]!) as [string, unknown];
    return { name, payload: body };
  } catch {
    return null;
  }
}

/**
 * Records the Socket.IO websockets a page opens (the app's one socket per tab) and every event
 * that crosses them: what the server really sent this tab, as it arrived.
 */
export class SocketWatch {
  readonly sockets: WebSocket[] = [];
  readonly wire: WireEvent[] = [];
  private readonly closedSet = new Set<WebSocket>();

  constructor(page: Page) {
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/socket.io/')) return;
      this.sockets.push(ws);
      ws.on('close', () => this.closedSet.add(ws));
      ws.on('framereceived', ({ payload }) => {
        const event = parseEventFrame(payload);
        if (event) this.wire.push({ direction: 'in', ...event });
      });
      ws.on('framesent', ({ payload }) => {
        const event = parseEventFrame(payload);
        if (event) this.wire.push({ direction: 'out', ...event });
      });
    });
    // Chromium reports no close for the sockets of a document that is navigated away from (a
    // reload): they cannot outlive it, so a new document in the main frame ends them all.
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) for (const ws of this.sockets) this.closedSet.add(ws);
    });
  }

  get opened(): number {
    return this.sockets.length;
  }

  get open(): number {
    return this.sockets.filter((ws) => !this.closedSet.has(ws)).length;
  }

  /** Events of this name that the server sent this tab (optionally only those `where` matches). */
  received(name: string, where: (payload: any) => boolean = () => true): unknown[] {
    return this.wire.filter((e) => e.direction === 'in' && e.name === name && where(e.payload)).map((e) => e.payload);
  }

  /** Events of this name that this tab sent the server. */
  sent(name: string, where: (payload: any) => boolean = () => true): unknown[] {
    return this.wire.filter((e) => e.direction === 'out' && e.name === name && where(e.payload)).map((e) => e.payload);
  }
}

export interface Tab {
  page: Page;
  sockets: SocketWatch;
}

/** A new tab at the app's root with its websockets watched from the very first one. */
export async function openTab(context: BrowserContext, urlPath = '/'): Promise<Tab> {
  const page = await context.newPage();
  const sockets = new SocketWatch(page);
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(urlPath);
  return { page, sockets };
}

/** The header's connection status reads "Connected". */
export async function waitConnected(page: Page, timeout = 15_000): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout });
}

/** Signs up through the auth screen. */
export async function registerViaUi(page: Page, person: Person): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByRole('button', { name: 'Register instead' }).click();
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Display name').fill(person.displayName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signInViaUi(page: Page, person: Person, password = PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Chats and people' });
}

/** The row for `person` under "People", found through the search box. */
export async function findPerson(page: Page, person: Person): Promise<Locator> {
  await page.getByLabel('Search people').fill(person.username);
  const people = sidebar(page).getByRole('region', { name: 'People' });
  const row = people.getByRole('button').filter({ hasText: `@${person.username}` });
  await row.waitFor();
  return row;
}

/** Opens the chat with `person` from the People list. */
export async function openChatWith(page: Page, person: Person): Promise<Locator> {
  const row = await findPerson(page, person);
  await row.click();
  const chat = page.getByRole('region', { name: `Chat with ${person.displayName}` });
  await chat.waitFor();
  return chat;
}

export function messagesOf(scope: Page | Locator): Locator {
  return scope.getByRole('list', { name: 'Messages' }).getByRole('listitem');
}

/** Types into the composer and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
}

/** How many message bubbles in `scope` contain exactly `text`. */
export async function countMessages(scope: Page | Locator, text: string): Promise<number> {
  return messageWith(scope, text).count();
}

function pageOf(scope: Page | Locator): Page {
  return 'goto' in scope ? scope : scope.page();
}

/** The bubble(s) in `scope` whose content is exactly `text`. */
export function messageWith(scope: Page | Locator, text: string): Locator {
  return messagesOf(scope).filter({ has: pageOf(scope).getByText(text, { exact: true }) });
}

/** The receipt tick of our own bubble that holds `text`: "Sending", "Sent", "Delivered", "Read" or "Failed". */
export async function tickOf(scope: Page | Locator, text: string): Promise<string | null> {
  const bubble = messageWith(scope, text);
  if ((await bubble.count()) !== 1) return null;
  const tick = bubble.getByRole('img');
  if ((await tick.count()) !== 1) return null;
  return tick.getAttribute('aria-label');
}

/** A screenshot in e2e/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9_-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits exactly `ms`: only to show that something does NOT happen in that time. */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The row for `person` under "Chats" (a conversation that exists). */
export function chatRow(page: Page, person: Person): Locator {
  return sidebar(page).getByRole('region', { name: 'Chats' }).getByRole('button').filter({ hasText: person.displayName });
}

/** Opens an existing conversation from the "Chats" list. */
export async function openConversation(page: Page, person: Person): Promise<Locator> {
  await chatRow(page, person).click();
  const chat = page.getByRole('region', { name: `Chat with ${person.displayName}` });
  await chat.waitFor();
  return chat;
}

/** The contents of the message bubbles in `scope`, in screen order. */
export async function threadTexts(scope: Page | Locator): Promise<string[]> {
  return messagesOf(scope).locator('p').allTextContents();
}

/**
 * The browser for one describe block: connected before its tests, and after them every person's
 * context and the connection closed; a failing test leaves screenshots of what each person saw.
 * `person('Eve')` gives a fresh, unique person with a browser profile of their own.
 */
export function browserSession() {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  screenshotsOnFailure(contexts);
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    async person(first: string): Promise<{ person: Person; context: BrowserContext }> {
      if (!browser) throw new Error('browserSession().person() runs inside a test');
      const context = await newPerson(browser);
      contexts.push(context);
      return { person: freshPerson(first), context };
    },
    /** A fresh person already signed up (through the API), for tests not about sign-up. */
    async registered(first: string): Promise<{ person: Person; context: BrowserContext; id: string }> {
      const { person, context } = await this.person(first);
      const { id } = await registerViaApi(context, person);
      return { person, context, id };
    },
  };
}

/**
 * When a test fails, a screenshot of every open page of `contexts` as
 * e2e/screenshots/FAILED-<test>-<n>.png: what each person saw at that moment.
 */
export function screenshotsOnFailure(contexts: readonly BrowserContext[]): void {
  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      const slug = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      let n = 0;
      for (const context of contexts) {
        for (const page of context.pages()) {
          n += 1;
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `FAILED-${slug}-${n}.png`) }).catch(() => undefined);
        }
      }
    });
  });
}
