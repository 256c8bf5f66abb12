import { readFileSync } from 'node:fs';
import { fromHex } from './seq.js';

export interface StoreFixture {
  name: string;
  store: string;
  key: string;
  value_hex: string;
  ttl: number;
  public_id: string | null;
  private_id: string;
  session_marshal_hex: string;
  session_inspect: string;
  ar_data: Record<'marshal' | 'json' | 'json_multijson', string | { error: string }>;
  value: Uint8Array;
}

/** fixtures/stores/sessions.json: sessions written by the real Ruby stores into a real redis-server. */
export function storeFixtures(): StoreFixture[] {
  const file = new URL('../../fixtures/stores/sessions.json', import.meta.url);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { sessions: Array<Omit<StoreFixture, 'value'>> };
  return json.sessions.map((s) => ({ ...s, value: fromHex(s.value_hex) }));
}

export interface CacheVector {
  name: string;
  format: '6.1' | '7.0' | '7.1';
  compressed_requested: boolean;
  bytes_b64: string;
  value_marshal_b64: string;
  expires_at: number | null;
  version: string | null;
  value_inspect: string;
}

/** fixtures/vectors/rails-cache-coders.json: bytes written by the unmodified Rails 7.1 cache coders. */
export function cacheVectors(): CacheVector[] {
  const file = new URL('../../fixtures/vectors/rails-cache-coders.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as CacheVector[];
}
