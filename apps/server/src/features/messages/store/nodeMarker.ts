import { randomBytes } from 'node:crypto';
import { ObjectId, type StoreCollections } from './storedMessage.js';
import type { ConversationSummaries } from './conversationSummaries.js';

/** How often a node records how far its summaries are written. */
export const NODE_BEAT_MS = 10_000;
/** A marker not beaten for this long belongs to a dead node. */
export const DEAD_AFTER_MS = 30_000;
/** Repair reaches this far before `summarizedUpTo`: ObjectIds hold seconds, clocks drift. */
export const REPAIR_MARGIN_MS = 60_000;

export interface NodeMarkerDoc {
  _id: string;
  /** Every message this node stored before this time has its summary written. */
  summarizedUpTo: Date;
  beatAt: Date;
  clean?: boolean;
}

/**
 * This node's crash-repair marker in `message_store_nodes` (ADR 0019). Written before the first
 * message is stored, beaten every NODE_BEAT_MS, deleted at a clean close. A marker left behind
 * is how another start knows which recent conversations may lack their summary.
 */
export class NodeMarker {
  readonly id = randomBytes(8).toString('hex');
  private written: Promise<void> | undefined;

  constructor(private readonly c: StoreCollections) {}

  /** Resolves once the marker exists (retried on the next call if it failed). */
  ensure(now: Date): Promise<void> {
    this.written ??= this.beat(now).catch((error: unknown) => {
      this.written = undefined;
      throw error;
    });
    return this.written;
  }

  async beat(summarizedUpTo: Date): Promise<void> {
    await this.c.nodes.updateOne(
      { _id: this.id } as never,
      { $set: { summarizedUpTo, beatAt: new Date(), clean: false } },
      { upsert: true },
    );
  }

  /** Whether another node has a marker: it may have stored messages whose summaries are not written yet. */
  async othersExist(): Promise<boolean> {
    return (await this.c.nodes.findOne({ _id: { $ne: this.id } } as never, { projection: { _id: 1 } })) !== null;
  }

  /** A clean close: every summary is written, nothing to repair. */
  async remove(): Promise<void> {
    await this.c.nodes.deleteOne({ _id: this.id } as never);
  }
}

/**
 * Repairs what dead nodes left: for each marker neither clean nor beaten for DEAD_AFTER_MS,
 * rebuilds the summary of every conversation with a message stored since its `summarizedUpTo`
 * (less a margin; an `_id` range, served by the `_id` index on every database), then removes
 * the marker. Claimed first (its beat moved to now), so two starting nodes rarely both repair.
 */
export async function repairDeadNodes(
  c: StoreCollections,
  summaries: ConversationSummaries,
  log: (line: string) => void,
  now = new Date(),
): Promise<number> {
  const markers = (await c.nodes.find({}).toArray()) as unknown as NodeMarkerDoc[];
  let repaired = 0;
  for (const marker of markers) {
    if (marker.clean || marker.beatAt.getTime() > now.getTime() - DEAD_AFTER_MS) continue;
    const claim = await c.nodes.updateOne({ _id: marker._id, beatAt: marker.beatAt } as never, { $set: { beatAt: now } });
    if (claim.modifiedCount === 0) continue;
    const from = ObjectId.createFromTime(Math.floor((marker.summarizedUpTo.getTime() - REPAIR_MARGIN_MS) / 1000));
    const keys = new Set<string>();
    const cursor = c.messages.find({ _id: { $gte: from } }, { projection: { conversationKey: 1 } });
    for await (const doc of cursor) if (typeof doc.conversationKey === 'string') keys.add(doc.conversationKey);
    for (const key of keys) await summaries.rebuild(key);
    await c.nodes.deleteOne({ _id: marker._id } as never);
    log(`message store: node ${marker._id} stopped without closing; rebuilt ${keys.size} conversation summaries`);
    repaired += keys.size;
  }
  return repaired;
}
