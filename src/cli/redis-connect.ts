import type { Cluster, Redis } from 'ioredis';

/**
 * Connects a client made with `lazyConnect` (one attempt: its retry strategy gives up). When the server itself
 * refuses the connection (no password or a wrong one: `NOAUTH`, `WRONGPASS`), ioredis rejects `connect()` with a
 * bare "Connection is closed." and says why only through its `error` event: the server's reply is what this throws
 * then. Its text is the server's (`NOAUTH Authentication required.`), which never holds the password.
 */
export async function connectOnce(client: Redis | Cluster): Promise<void> {
  let refusal: Error | undefined;
  const listener = (error: unknown): void => {
    if (refusal === undefined && error instanceof Error && error.name === 'ReplyError') refusal = error;
  };
  client.on('error', listener);
  try {
    await client.connect();
  } catch (error) {
    throw refusal ?? error;
  } finally {
    client.off('error', listener);
  }
}
