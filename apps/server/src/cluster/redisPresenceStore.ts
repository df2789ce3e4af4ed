import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import type { PresenceStore } from '../features/presence/presence.store.js';

/**
 * Presence shared by every node, in Redis, each step one Lua script (atomic: no two nodes ever
 * both see "first socket" or both expire the same grace period). Keys, all under one hash tag so
 * they share a slot:
 *   sockets:<user>   hash socketId -> nodeId: the user's sockets on every node
 *   node:<node>      set of "<user> <socketId>": a node's sockets, to take away when it dies
 *   leaving          sorted set user -> grace deadline (ms)
 *   hidden           set of online users who hide their presence
 *   nodes            sorted set node -> last heartbeat (ms, Redis server time)
 * A node beats every `nodeTimeoutMs / 3`. Each `expireDue` (every node sweeps) also reaps the
 * nodes silent for `nodeTimeoutMs`: their sockets go, and users left with none are offline at
 * once, returned to exactly one caller. A node that finds itself gone from `nodes` (it was
 * reaped during a pause, or Redis restarted empty) calls `onReaped` to register its sockets again.
 */

const CONNECT = `
local sockets, nodeSet, leaving, hidden = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local user, socket, node, shows = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if shows == '1' then redis.call('SREM', hidden, user) else redis.call('SADD', hidden, user) end
local had = redis.call('HLEN', sockets)
redis.call('HSET', sockets, socket, node)
redis.call('SADD', nodeSet, user .. ' ' .. socket)
if had > 0 then return 0 end
if redis.call('ZREM', leaving, user) == 1 then return 0 end
return 1
`;

const DISCONNECT = `
local sockets, leaving, hidden = KEYS[1], KEYS[2], KEYS[3]
local user, socket, explicit, now, grace, nodePrefix = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local node = redis.call('HGET', sockets, socket)
if not node then return {0, -1} end
redis.call('HDEL', sockets, socket)
redis.call('SREM', nodePrefix .. node, user .. ' ' .. socket)
if redis.call('HLEN', sockets) > 0 then return {0, -1} end
if explicit == '1' or grace == 0 then
  redis.call('SREM', hidden, user)
  return {1, -1}
end
local at = now + grace
redis.call('ZADD', leaving, at, user)
return {0, at}
`;

/**
 * Grace periods due at ARGV[1], then every node silent for ARGV[2] ms (by Redis time) reaped.
 * Answers { sockets reaped, user offline, ... }.
 */
const EXPIRE_AND_REAP = `
local leaving, hidden, nodes = KEYS[1], KEYS[2], KEYS[3]
local now, timeout, self, socketsPrefix, nodePrefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local offline = {0}
local due = redis.call('ZRANGEBYSCORE', leaving, '-inf', now)
for _, user in ipairs(due) do
  redis.call('ZREM', leaving, user)
  redis.call('SREM', hidden, user)
  offline[#offline + 1] = user
end
local time = redis.call('TIME')
local redisNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local dead = redis.call('ZRANGEBYSCORE', nodes, '-inf', redisNow - timeout)
for _, node in ipairs(dead) do
  if node ~= self then
    local members = redis.call('SMEMBERS', nodePrefix .. node)
    for _, member in ipairs(members) do
      local space = string.find(member, ' ', 1, true)
      local user, socket = string.sub(member, 1, space - 1), string.sub(member, space + 1)
      local sockets = socketsPrefix .. user
      if redis.call('HGET', sockets, socket) == node then
        redis.call('HDEL', sockets, socket)
        offline[1] = offline[1] + 1
        if redis.call('HLEN', sockets) == 0 and not redis.call('ZSCORE', leaving, user) then
          redis.call('SREM', hidden, user)
          offline[#offline + 1] = user
        end
      end
    end
    redis.call('DEL', nodePrefix .. node)
    redis.call('ZREM', nodes, node)
  end
end
return offline
`;

/** Records this node's beat (Redis time); answers 1 when the node was still registered. */
const HEARTBEAT = `
local time = redis.call('TIME')
local redisNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], redisNow, ARGV[1])
if known then return 1 end
return 0
`;

/** Which of ARGV (user ids) are online (ARGV[1] = '1': and show it), in their order. */
const ONLINE_AMONG = `
local leaving, hidden, socketsPrefix, showingOnly = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local online = {}
for index = 3, #ARGV do
  local user = ARGV[index]
  if redis.call('EXISTS', socketsPrefix .. user) == 1 or redis.call('ZSCORE', leaving, user) then
    if showingOnly ~= '1' or redis.call('SISMEMBER', hidden, user) == 0 then online[#online + 1] = user end
  end
end
return online
`;

const SET_SHOWS = `
local sockets, leaving, hidden = KEYS[1], KEYS[2], KEYS[3]
local user, shows = ARGV[1], ARGV[2]
local online = redis.call('EXISTS', sockets) == 1 or redis.call('ZSCORE', leaving, user) ~= false
if online and shows ~= '1' then redis.call('SADD', hidden, user) else redis.call('SREM', hidden, user) end
if online then return 1 end
return 0
`;

interface PresenceCommands {
  parleyPresenceConnect(...args: string[]): Promise<number>;
  parleyPresenceDisconnect(...args: string[]): Promise<[number, number]>;
  parleyPresenceExpire(...args: string[]): Promise<[number, ...string[]]>;
  parleyPresenceHeartbeat(...args: string[]): Promise<number>;
  parleyPresenceOnlineAmong(...args: string[]): Promise<string[]>;
  parleyPresenceSetShows(...args: string[]): Promise<number>;
}

function defineCommands(redis: Redis): Redis & PresenceCommands {
  const commands: Array<[keyof PresenceCommands, number, string]> = [
    ['parleyPresenceConnect', 4, CONNECT],
    ['parleyPresenceDisconnect', 3, DISCONNECT],
    ['parleyPresenceExpire', 3, EXPIRE_AND_REAP],
    ['parleyPresenceHeartbeat', 1, HEARTBEAT],
    ['parleyPresenceOnlineAmong', 2, ONLINE_AMONG],
    ['parleyPresenceSetShows', 3, SET_SHOWS],
  ];
  for (const [name, numberOfKeys, lua] of commands) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  }
  return redis as Redis & PresenceCommands;
}

export interface RedisPresenceOptions {
  graceMs: number;
  /** This node's id: unique per process (a restarted node is a new node). */
  nodeId: string;
  /** A node silent this long is taken as dead and its sockets are taken away. */
  nodeTimeoutMs: number;
  /** Key prefix; the default for the app, a fresh one per store in tests. */
  prefix?: string;
  logger?: Logger;
  /** How many sockets of dead nodes this node's sweep took away (a metric). */
  onReaped?(sockets: number): void;
}

export class RedisPresenceStore implements PresenceStore {
  private readonly redis: Redis & PresenceCommands;
  private readonly keys: {
    leaving: string;
    hidden: string;
    nodes: string;
    socketsPrefix: string;
    nodePrefix: string;
  };
  private heartbeat: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(
    redis: Redis,
    private readonly options: RedisPresenceOptions,
  ) {
    this.redis = defineCommands(redis);
    const prefix = options.prefix ?? 'parley:{presence}:';
    this.keys = {
      leaving: `${prefix}leaving`,
      hidden: `${prefix}hidden`,
      nodes: `${prefix}nodes`,
      socketsPrefix: `${prefix}sockets:`,
      nodePrefix: `${prefix}node:`,
    };
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  async connect(userId: string, socketId: string, options: { shows: boolean }) {
    const cameOnline = await this.redis.parleyPresenceConnect(
      this.keys.socketsPrefix + userId,
      this.keys.nodePrefix + this.options.nodeId,
      this.keys.leaving,
      this.keys.hidden,
      userId,
      socketId,
      this.options.nodeId,
      options.shows ? '1' : '0',
    );
    return { cameOnline: cameOnline === 1 };
  }

  async disconnect(userId: string, socketId: string, options: { explicit: boolean; now: number }) {
    const [wentOffline, leavingAt] = await this.redis.parleyPresenceDisconnect(
      this.keys.socketsPrefix + userId,
      this.keys.leaving,
      this.keys.hidden,
      userId,
      socketId,
      options.explicit ? '1' : '0',
      String(options.now),
      String(this.options.graceMs),
      this.keys.nodePrefix,
    );
    return { wentOffline: wentOffline === 1, leavingAt: leavingAt < 0 ? null : leavingAt };
  }

  /** Due grace periods, and the users of nodes silent past the timeout: each to one caller only. */
  async expireDue(now: number): Promise<string[]> {
    const [reaped, ...offline] = await this.redis.parleyPresenceExpire(
      this.keys.leaving,
      this.keys.hidden,
      this.keys.nodes,
      String(now),
      String(this.options.nodeTimeoutMs),
      this.options.nodeId,
      this.keys.socketsPrefix,
      this.keys.nodePrefix,
    );
    if (reaped > 0) this.options.onReaped?.(reaped);
    return offline;
  }

  /** The user's sockets on every node (for the per-user socket limit). */
  socketCount(userId: string): Promise<number> {
    return this.redis.hlen(this.keys.socketsPrefix + userId);
  }

  onlineAmong(userIds: readonly string[]) {
    return this.among(userIds, false);
  }

  showingOnlineAmong(userIds: readonly string[]) {
    return this.among(userIds, true);
  }

  async setShows(userId: string, shows: boolean) {
    const online = await this.redis.parleyPresenceSetShows(
      this.keys.socketsPrefix + userId,
      this.keys.leaving,
      this.keys.hidden,
      userId,
      shows ? '1' : '0',
    );
    return { online: online === 1 };
  }

  /** One beat now: false when this node had been reaped (or Redis lost everything) since the last. */
  async beat(): Promise<boolean> {
    return (await this.redis.parleyPresenceHeartbeat(this.keys.nodes, this.options.nodeId)) === 1;
  }

  /**
   * Beats every third of the node timeout. When a beat finds this node unknown (reaped during a
   * pause, or Redis restarted empty), `onReaped` registers the local sockets again.
   */
  startHeartbeat(onReaped: () => Promise<void>): void {
    let first = true;
    const tick = async () => {
      if (this.beating) return;
      this.beating = true;
      try {
        const known = await this.beat();
        if (!known && !first) {
          this.options.logger?.warn({ nodeId: this.options.nodeId }, 'this node was reaped from presence: registering its sockets again');
          await onReaped();
        }
        first = false;
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'presence heartbeat failed');
      } finally {
        this.beating = false;
      }
    };
    void tick();
    this.heartbeat = setInterval(() => void tick(), Math.max(100, Math.floor(this.options.nodeTimeoutMs / 3)));
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async among(userIds: readonly string[], showingOnly: boolean): Promise<string[]> {
    if (userIds.length === 0) return [];
    return this.redis.parleyPresenceOnlineAmong(
      this.keys.leaving,
      this.keys.hidden,
      this.keys.socketsPrefix,
      showingOnly ? '1' : '0',
      ...userIds,
    );
  }
}
