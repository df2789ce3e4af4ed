import type { Connection, mongo } from 'mongoose';
import type { Metrics } from '../../lib/metrics.js';

/**
 * Database latency and errors from the driver's command monitoring (the connection is opened
 * with `monitorCommands: true`, see db/connect.ts). Every command the app sends is seen, by
 * name; a command that never reached a server (server selection timed out during an outage) is
 * not a command event: readiness (/api/health/ready) reports that. Returns a detach function.
 */
export function observeDatabase(db: Connection, metrics: Metrics): () => void {
  const client = db.getClient();
  const succeeded = (event: mongo.CommandSucceededEvent) => metrics.databaseCommand(event.commandName, event.duration / 1000, false);
  const failed = (event: mongo.CommandFailedEvent) => metrics.databaseCommand(event.commandName, event.duration / 1000, true);
  client.on('commandSucceeded', succeeded);
  client.on('commandFailed', failed);
  return () => {
    client.off('commandSucceeded', succeeded);
    client.off('commandFailed', failed);
  };
}
