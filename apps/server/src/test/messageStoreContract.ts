import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, ReplyPreview } from '@parley/protocol';
import type { ConversationSummary, MessageStore } from '../features/messages/store/messageStore.js';

/** One fresh store for one case, and how to let go of it. */
export interface MessageStoreUnderTest {
  store: MessageStore;
  /** Runs after the case (close what the factory opened). Optional: the memory store has nothing. */
  cleanup?: () => Promise<void>;
}

/**
 * Builds a store whose every timestamp (createdAt, updatedAt) comes from `now`: the suite moves
 * that clock by hand, so equal and distinct times are both certain, on any implementation. Every
 * case uses fresh users (new ObjectId hex strings; the store needs no user documents), so a
 * factory may hand out stores over one shared database without the cases seeing each other.
 */
export type MakeMessageStore = (options: { now: () => Date }) => Promise<MessageStoreUnderTest>;

/** A clock that stands still until told: one tick is one millisecond, the database's precision. */
class TestClock {
  private ms = Date.UTC(2024, 0, 1);
  readonly now = (): Date => new Date(this.ms);
  tick(ms = 1): Date {
    this.ms += ms;
    return this.now();
  }
}

const newUser = () => new Types.ObjectId().toHexString();
const users = (count: number) => Array.from({ length: count }, newUser);
const idsOf = (messages: Message[]) => messages.map((message) => message.id);

/** History order, newest first: createdAt, then id. */
function newestFirst(x: Message, y: Message): number {
  return y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id);
}

/** What every MessageStore must do (messageStore.ts); run it with a factory per implementation. */
export function describeMessageStoreContract(name: string, makeStore: MakeMessageStore): void {
  const cleanups: (() => Promise<void>)[] = [];

  async function setup() {
    const clock = new TestClock();
    const { store, cleanup } = await makeStore({ now: clock.now });
    if (cleanup) cleanups.push(cleanup);

    /** `sender` sends a moment after the previous step (at the same instant with `sameInstant`). */
    async function send(
      sender: string,
      receiver: string,
      options: { content?: string; replyTo?: ReplyPreview; sameInstant?: boolean } = {},
    ): Promise<Message> {
      if (!options.sameInstant) clock.tick();
      const outcome = await store.insert({
        sender,
        receiver,
        content: options.content ?? `text ${randomUUID()}`,
        clientMessageId: randomUUID(),
        replyTo: options.replyTo ?? null,
      });
      if (outcome.kind !== 'created') throw new Error(`a new clientMessageId came back as ${outcome.kind}`);
      return outcome.message;
    }

    /** One message per [sender, receiver], all at one instant, a moment after the previous step. */
    async function sendAtOnce(pairs: [string, string][]): Promise<Message[]> {
      clock.tick();
      const sent: Message[] = [];
      for (const [sender, receiver] of pairs) sent.push(await send(sender, receiver, { sameInstant: true }));
      return sent;
    }

    /** Every page of `userId`'s conversation list, walked with the cursor. */
    async function conversationPages(userId: string, limit: number): Promise<ConversationSummary[][]> {
      const pages: ConversationSummary[][] = [];
      let before: string | null = null;
      do {
        const page = await store.conversations(userId, before, limit);
        pages.push(page.summaries);
        before = page.nextCursor;
      } while (before !== null && pages.length < 1000);
      return pages;
    }

    return { store, clock, send, sendAtOnce, conversationPages };
  }

  describe(`${name} (MessageStore contract)`, () => {
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    describe('insert', () => {
      it('stores a new message in its wire shape, stamped with the clock, and finds it by id', async () => {
        const { store, clock } = await setup();
        const [a, b] = users(2);
        const at = clock.tick().toISOString();
        const outcome = await store.insert({ sender: a!, receiver: b!, content: 'hello', clientMessageId: 'client-1' });
        expect(outcome).toEqual({
          kind: 'created',
          startedConversation: true,
          message: {
            id: expect.stringMatching(/^[0-9a-f]{24}$/),
            clientMessageId: 'client-1',
            sender: a,
            receiver: b,
            content: 'hello',
            createdAt: at,
            updatedAt: at,
            isRead: false,
            readAt: null,
            deliveredAt: null,
            replyTo: null,
            editedAt: null,
            deletedAt: null,
          },
        });
        expect(await store.findById(outcome.message.id)).toEqual(outcome.message);
        expect(await store.findById(newUser())).toBeNull();
      });

      it('says startedConversation for the first message of a pair only, whichever side sends', async () => {
        const { store } = await setup();
        const [a, b, c] = users(3);
        const started = async (sender: string, receiver: string) => {
          const outcome = await store.insert({ sender, receiver, content: 'hi', clientMessageId: randomUUID() });
          return outcome.kind === 'created' && outcome.startedConversation;
        };
        expect(await started(a!, b!)).toBe(true);
        expect(await started(a!, b!)).toBe(false);
        expect(await started(b!, a!)).toBe(false);
        expect(await started(c!, a!)).toBe(true);
        expect(await started(a!, c!)).toBe(false);
      });

      it('is idempotent per (sender, clientMessageId): a retry gets the stored copy and counts nothing twice', async () => {
        const { store } = await setup();
        const [a, b, c] = users(3);
        const first = await store.insert({ sender: a!, receiver: b!, content: 'first', clientMessageId: 'retry-me' });
        const retry = await store.insert({ sender: a!, receiver: b!, content: 'second', clientMessageId: 'retry-me' });
        expect(retry).toEqual({ kind: 'duplicate', message: first.message });
        // The key is the sender's: the same clientMessageId elsewhere is the stored message too...
        expect(await store.insert({ sender: a!, receiver: c!, content: 'third', clientMessageId: 'retry-me' })).toEqual(retry);
        expect(await store.partnersOf(c!, 10)).toEqual([]);
        // ...and another sender's is a message of its own.
        const other = await store.insert({ sender: b!, receiver: a!, content: 'mine', clientMessageId: 'retry-me' });
        expect(other.kind).toBe('created');
        expect(other.message.id).not.toBe(first.message.id);

        expect(idsOf(await store.pageBefore(a!, b!, null, 10))).toEqual([other.message.id, first.message.id]);
        const [summary] = (await store.conversations(b!, null, 10)).summaries;
        expect(summary?.unreadCount).toBe(1);
      });

      it('stores 20 concurrent sends from different senders once each', async () => {
        const { store } = await setup();
        const receiver = newUser();
        const senders = users(20);
        const outcomes = await Promise.all(
          senders.map((sender) => store.insert({ sender, receiver, content: `from ${sender}`, clientMessageId: randomUUID() })),
        );
        expect(outcomes.every((outcome) => outcome.kind === 'created' && outcome.startedConversation)).toBe(true);
        expect(new Set(outcomes.map((outcome) => outcome.message.id)).size).toBe(20);
        for (const [index, sender] of senders.entries()) {
          expect(await store.pageBefore(receiver, sender, null, 10)).toEqual([outcomes[index]!.message]);
        }
        const { summaries, nextCursor } = await store.conversations(receiver, null, 50);
        expect(nextCursor).toBeNull();
        expect(summaries.map((summary) => summary.partnerId).sort()).toEqual([...senders].sort());
        expect(summaries.every((summary) => summary.unreadCount === 1)).toBe(true);
      });

      it('the same clientMessageId twice at once: one created, one duplicate of it', async () => {
        const { store } = await setup();
        const [a, b] = users(2);
        const input = { sender: a!, receiver: b!, content: 'twice', clientMessageId: 'same-at-once' };
        const outcomes = await Promise.all([store.insert(input), store.insert(input)]);
        expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['created', 'duplicate']);
        expect(outcomes[0].message).toEqual(outcomes[1].message);
        expect(await store.pageBefore(a!, b!, null, 10)).toHaveLength(1);
        expect((await store.conversations(b!, null, 10)).summaries[0]?.unreadCount).toBe(1);
      });

      it('keeps a reply preview as given', async () => {
        const { store, send } = await setup();
        const [a, b] = users(2);
        const quoted = await send(a!, b!, { content: 'quote me' });
        const replyTo = { id: quoted.id, sender: a!, content: 'quote me' };
        const reply = await send(b!, a!, { replyTo });
        expect(reply.replyTo).toEqual(replyTo);
        expect((await store.findById(reply.id))?.replyTo).toEqual(replyTo);
      });
    });

    describe('history', () => {
      it('pageBefore pages one conversation newest first, ties on createdAt broken by id, without gaps or repeats', async () => {
        const { store, sendAtOnce } = await setup();
        const [a, b, c] = users(3);
        const mine: Message[] = [];
        for (let round = 0; round < 3; round += 1) {
          // Three messages at one instant, both directions, and one of another conversation.
          const sent = await sendAtOnce([[a!, b!], [b!, a!], [a!, b!], [a!, c!]]);
          mine.push(...sent.slice(0, 3));
        }
        const expected = [...mine].sort(newestFirst);

        expect(await store.pageBefore(a!, b!, null, 100)).toEqual(expected);
        expect(await store.pageBefore(b!, a!, null, 100)).toEqual(expected);
        const walked: Message[] = [];
        let before: Message | null = null;
        for (let pages = 0; pages < 10; pages += 1) {
          const page = await store.pageBefore(a!, b!, before, 2);
          expect(page.length).toBeLessThanOrEqual(2);
          walked.push(...page);
          before = page.at(-1) ?? null;
          if (page.length < 2) break;
        }
        expect(idsOf(walked)).toEqual(idsOf(expected));
        expect(await store.pageBefore(a!, b!, expected.at(-1)!, 10)).toEqual([]);
        expect(await store.pageBefore(b!, c!, null, 10)).toEqual([]);
      });

      it('searchInConversation finds text in any case, literally, newest first, paged by id', async () => {
        const { store, clock, send } = await setup();
        const [a, b, c] = users(3);
        const hello1 = await send(a!, b!, { content: 'Hello world' });
        await send(b!, a!, { content: 'nothing here' });
        const hello2 = await send(b!, a!, { content: 'and you say HELLO' });
        await send(a!, c!, { content: 'hello to someone else' });
        const dotted = await send(a!, b!, { content: 'a.b stays literal' });
        await send(a!, b!, { content: 'axb only' });

        expect(idsOf(await store.searchInConversation(a!, b!, 'hello', null, 10))).toEqual([hello2.id, hello1.id]);
        expect(idsOf(await store.searchInConversation(b!, a!, 'hElLo', null, 10))).toEqual([hello2.id, hello1.id]);
        expect(idsOf(await store.searchInConversation(a!, b!, 'a.b', null, 10))).toEqual([dotted.id]);
        expect(idsOf(await store.searchInConversation(a!, b!, 'hello', null, 1))).toEqual([hello2.id]);
        expect(idsOf(await store.searchInConversation(a!, b!, 'hello', hello2.id, 10))).toEqual([hello1.id]);
        expect(await store.searchInConversation(a!, b!, 'hello', hello1.id, 10)).toEqual([]);

        await store.applyDelete(hello2.id, clock.tick());
        expect(idsOf(await store.searchInConversation(a!, b!, 'hello', null, 10))).toEqual([hello1.id]);
      });
    });

    describe('conversation list', () => {
      it('30 partners by 7: every conversation exactly once, newest activity first, unread counts right', async () => {
        const { store, send, conversationPages } = await setup();
        const me = newUser();
        const partners = users(30);
        const last = new Map<string, Message>();
        for (const [index, partner] of partners.entries()) {
          last.set(partner, await send(me, partner));
          for (let unread = 0; unread < index % 3; unread += 1) last.set(partner, await send(partner, me));
        }

        const pages = await conversationPages(me, 7);
        expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7, 2]);
        const listed = pages.flat();
        expect(listed.map((summary) => summary.partnerId)).toEqual([...partners].reverse());
        for (const summary of listed) {
          const index = partners.indexOf(summary.partnerId);
          expect(summary).toEqual({ partnerId: partners[index], lastMessage: last.get(partners[index]!), unreadCount: index % 3 });
        }
        // The other side: one conversation, my message unread.
        expect(await store.conversations(partners[4]!, null, 10)).toEqual({
          summaries: [{ partnerId: me, lastMessage: last.get(partners[4]!), unreadCount: 1 }],
          nextCursor: null,
        });
      });

      it('a page that ends the list has no cursor; new activity moves a conversation to the top', async () => {
        const { store, send, conversationPages } = await setup();
        const me = newUser();
        const partners = users(5);
        for (const partner of partners) await send(partner, me);

        expect(await conversationPages(me, 5)).toHaveLength(1);
        expect((await store.conversations(me, null, 4)).nextCursor).not.toBeNull();
        const oldest = partners[0]!;
        const latest = await send(oldest, me);
        const [top] = (await store.conversations(me, null, 1)).summaries;
        expect(top).toEqual({ partnerId: oldest, lastMessage: latest, unreadCount: 2 });
        expect(await store.conversations(newUser(), null, 10)).toEqual({ summaries: [], nextCursor: null });
      });

      it('a cursor that is not one of ours is a VALIDATION_ERROR', async () => {
        const { store } = await setup();
        await expect(store.conversations(newUser(), 'not a cursor', 10)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      });

      it('partnersOf lists every partner once, at most `limit`', async () => {
        const { store, send } = await setup();
        const [me, a, b, c] = users(4);
        await send(me!, a!);
        await send(b!, me!);
        await send(me!, c!);
        await send(a!, me!);
        // In no promised order: the Mongo store reads one document by _id (cheap on FerretDB too).
        expect((await store.partnersOf(me!, 10)).sort()).toEqual([a!, b!, c!].sort());
        const two = await store.partnersOf(me!, 2);
        expect(two).toHaveLength(2);
        expect(new Set(two).size).toBe(2);
        for (const partner of two) expect([a, b, c]).toContain(partner);
        expect(await store.partnersOf(b!, 10)).toEqual([me]);
        expect(await store.partnersOf(newUser(), 10)).toEqual([]);
      });
    });

    describe('receipts', () => {
      it('markRead marks messages from the sender created up to `at` read and delivered, and counts them', async () => {
        const { store, clock, send } = await setup();
        const [reader, sender] = users(2);
        const first = await send(sender!, reader!);
        const second = await send(sender!, reader!);
        const deliveredAt = clock.tick();
        await store.markDelivered(reader!, [second.id], deliveredAt);
        const own = await send(reader!, sender!);
        const later = await send(sender!, reader!);

        const changedAt = clock.tick().toISOString();
        expect(await store.markRead(reader!, sender!, new Date(second.createdAt))).toBe(2);
        expect(await store.findById(first.id)).toMatchObject({
          isRead: true,
          readAt: second.createdAt,
          deliveredAt: second.createdAt,
          updatedAt: changedAt,
        });
        // Already delivered: it keeps its delivery time.
        expect(await store.findById(second.id)).toMatchObject({
          isRead: true,
          readAt: second.createdAt,
          deliveredAt: deliveredAt.toISOString(),
        });
        // Created after `at`, and the reader's own message: untouched.
        expect(await store.findById(later.id)).toEqual(later);
        expect(await store.findById(own.id)).toEqual(own);
        expect((await store.conversations(reader!, null, 10)).summaries[0]?.unreadCount).toBe(1);
        expect((await store.conversations(sender!, null, 10)).summaries[0]?.unreadCount).toBe(1);

        expect(await store.markRead(reader!, sender!, clock.tick())).toBe(1);
        expect((await store.conversations(reader!, null, 10)).summaries[0]?.unreadCount).toBe(0);
        expect(await store.markRead(reader!, sender!, clock.tick())).toBe(0);
        expect(await store.markRead(reader!, newUser(), clock.tick())).toBe(0);
      });

      it('markRead with nothing unread changes nothing; a later message is marked (the skip of an empty read is safe)', async () => {
        const { store, clock, send } = await setup();
        const [reader, sender] = users(2);
        await send(sender!, reader!);
        await send(reader!, sender!);
        expect(await store.markRead(reader!, sender!, clock.tick())).toBe(1);
        expect(await store.markRead(sender!, reader!, clock.tick())).toBe(1);
        const readUpTo = clock.tick();
        // Nothing to mark, from either side: no message changes, the counts stay 0.
        expect(await store.markRead(reader!, sender!, clock.tick())).toBe(0);
        expect(await store.markRead(sender!, reader!, clock.tick())).toBe(0);
        expect(await store.changesSince(reader!, readUpTo, undefined, 10)).toEqual([]);
        expect((await store.conversations(reader!, null, 10)).summaries[0]?.unreadCount).toBe(0);
        // A new message: counted, then marked by the next read.
        const later = await send(sender!, reader!);
        expect((await store.conversations(reader!, null, 10)).summaries[0]?.unreadCount).toBe(1);
        expect(await store.markRead(reader!, sender!, clock.tick())).toBe(1);
        expect(await store.findById(later.id)).toMatchObject({ isRead: true, deliveredAt: expect.any(String) });
        expect((await store.conversations(reader!, null, 10)).summaries[0]?.unreadCount).toBe(0);
      });

      it('markDelivered claims only undelivered messages addressed to the receiver, each once', async () => {
        const { store, clock, send } = await setup();
        const [receiver, sender] = users(2);
        const waiting = await send(sender!, receiver!);
        const delivered = await send(sender!, receiver!);
        await store.markDelivered(receiver!, [delivered.id], clock.tick());
        const outgoing = await send(receiver!, sender!);

        const at = clock.tick();
        const ids = [waiting.id, waiting.id, delivered.id, outgoing.id, newUser()];
        expect(await store.markDelivered(receiver!, ids, at)).toEqual([{ id: waiting.id, sender }]);
        const stamped = { deliveredAt: at.toISOString(), updatedAt: at.toISOString(), isRead: false };
        expect(await store.findById(waiting.id)).toMatchObject(stamped);
        expect(await store.findById(outgoing.id)).toEqual(outgoing);
        expect(await store.markDelivered(receiver!, ids, clock.tick())).toEqual([]);
        expect(await store.markDelivered(receiver!, [], clock.tick())).toEqual([]);
      });

      it('a bulk markDelivered of 100 ids claims each once', async () => {
        const { store, clock, send } = await setup();
        const [receiver, sender] = users(2);
        const messages: Message[] = [];
        for (let index = 0; index < 100; index += 1) messages.push(await send(sender!, receiver!));
        const claimed = await store.markDelivered(receiver!, idsOf(messages), clock.tick());
        expect(claimed.map((entry) => entry.id).sort()).toEqual(idsOf(messages).sort());
        expect(claimed.every((entry) => entry.sender === sender)).toBe(true);
        expect(await store.markDelivered(receiver!, idsOf(messages), clock.tick())).toEqual([]);
      });
    });

    describe('catch-up', () => {
      it('changesSince walks every change to or from the user once, oldest first, across equal times', async () => {
        const { store, clock, sendAtOnce } = await setup();
        const [me, a, b] = users(3);
        const mine: Message[] = [];
        for (let round = 0; round < 6; round += 1) {
          // Mine in both directions and with two people, and one between the other two.
          const sent = await sendAtOnce([[me!, a!], [a!, me!], [b!, me!], [a!, b!]]);
          mine.push(...sent.slice(0, 3));
        }
        // Changes move a message to a later position: it comes once, there.
        await store.applyEdit(mine[0]!.id, 'edited', clock.tick());
        await store.markDelivered(me!, [mine[1]!.id, mine[2]!.id], clock.now());

        const walked: Message[] = [];
        let since = new Date(0);
        let after: string | undefined;
        for (let pages = 0; pages < 100; pages += 1) {
          const page = await store.changesSince(me!, since, after, 5);
          walked.push(...page);
          const last = page.at(-1);
          if (!last || page.length < 5) break;
          since = new Date(last.updatedAt);
          after = last.id;
        }
        expect(idsOf(walked).sort()).toEqual(idsOf(mine).sort());
        const positions = walked.map((message) => `${message.updatedAt} ${message.id}`);
        expect(positions).toEqual([...positions].sort());
        expect(idsOf(walked.slice(-3)).sort()).toEqual([mine[0]!.id, mine[1]!.id, mine[2]!.id].sort());

        // From the end of the walk: nothing, until something changes.
        const end = walked.at(-1)!;
        expect(await store.changesSince(me!, new Date(end.updatedAt), end.id, 5)).toEqual([]);
        const edited = await store.applyEdit(mine[5]!.id, 'edited again', clock.tick());
        expect(await store.changesSince(me!, new Date(end.updatedAt), end.id, 5)).toEqual([edited]);
        // Without `after`, `since` itself is included.
        expect(await store.changesSince(me!, new Date(edited!.updatedAt), undefined, 5)).toEqual([edited]);
      });
    });

    describe('edits and deletes', () => {
      it('applyEdit changes text, editedAt and updatedAt, and the conversation list shows it when it is the last message', async () => {
        const { store, clock, send } = await setup();
        const [a, b] = users(2);
        const earlier = await send(a!, b!);
        const latest = await send(b!, a!);

        await store.applyEdit(earlier.id, 'not the last one', clock.tick());
        expect((await store.conversations(a!, null, 10)).summaries[0]?.lastMessage).toEqual(latest);

        const at = clock.tick();
        const edited = await store.applyEdit(latest.id, 'edited', at);
        expect(edited).toEqual({ ...latest, content: 'edited', editedAt: at.toISOString(), updatedAt: at.toISOString() });
        expect(await store.findById(latest.id)).toEqual(edited);
        for (const user of [a!, b!]) {
          expect((await store.conversations(user, null, 10)).summaries[0]?.lastMessage).toEqual(edited);
        }
        expect(await store.applyEdit(newUser(), 'nobody', clock.tick())).toBeNull();
      });

      it('applyDelete wipes text and quote, stamps deletedAt, shows in the list, and cannot be edited after', async () => {
        const { store, clock, send } = await setup();
        const [a, b] = users(2);
        const quoted = await send(a!, b!);
        const reply = await send(b!, a!, { replyTo: { id: quoted.id, sender: a!, content: quoted.content } });

        const at = clock.tick();
        const deleted = await store.applyDelete(reply.id, at);
        expect(deleted).toEqual({ ...reply, content: '', replyTo: null, deletedAt: at.toISOString(), updatedAt: at.toISOString() });
        expect(await store.findById(reply.id)).toEqual(deleted);
        for (const user of [a!, b!]) {
          expect((await store.conversations(user, null, 10)).summaries[0]?.lastMessage).toEqual(deleted);
        }
        expect(await store.applyEdit(reply.id, 'back from the dead', clock.tick())).toBeNull();
        expect((await store.findById(reply.id))?.content).toBe('');
        expect(await store.applyDelete(newUser(), clock.tick())).toBeNull();
      });

      it('setReplyPreviews rewrites the quotes of one message in one conversation; setReplyPreview one reply', async () => {
        const { store, clock, send } = await setup();
        const [a, b, c] = users(3);
        const quoted = await send(a!, b!, { content: 'original' });
        const other = await send(a!, b!, { content: 'other' });
        const quote = { id: quoted.id, sender: a!, content: 'original' };
        const reply1 = await send(b!, a!, { replyTo: quote });
        const reply2 = await send(a!, b!, { replyTo: quote });
        const replyToOther = await send(b!, a!, { replyTo: { id: other.id, sender: a!, content: 'other' } });
        const elsewhere = await send(a!, c!, { replyTo: quote });

        const at = clock.tick().toISOString();
        expect(await store.setReplyPreviews(b!, a!, quoted.id, 'changed')).toBe(2);
        for (const reply of [reply1, reply2]) {
          expect(await store.findById(reply.id)).toEqual({ ...reply, replyTo: { ...quote, content: 'changed' }, updatedAt: at });
        }
        expect(await store.findById(replyToOther.id)).toEqual(replyToOther);
        expect(await store.findById(elsewhere.id)).toEqual(elsewhere);
        expect(await store.setReplyPreviews(a!, b!, quoted.id, 'changed')).toBe(0);

        const at2 = clock.tick().toISOString();
        expect(await store.setReplyPreview(reply1.id, '')).toEqual({ ...reply1, replyTo: { ...quote, content: '' }, updatedAt: at2 });
        expect(await store.setReplyPreview(quoted.id, 'not a reply')).toBeNull();
        expect(await store.findById(quoted.id)).toEqual(quoted);
      });
    });

    it('drain resolves once every insert accepted so far is stored', async () => {
      const { store } = await setup();
      const [a, b] = users(2);
      const pending = Array.from({ length: 10 }, (_, index) =>
        store.insert({ sender: a!, receiver: b!, content: `queued ${index}`, clientMessageId: randomUUID() }),
      );
      await store.drain();
      expect(await store.pageBefore(a!, b!, null, 20)).toHaveLength(10);
      expect((await Promise.all(pending)).every((outcome) => outcome.kind === 'created')).toBe(true);
    });
  });
}
