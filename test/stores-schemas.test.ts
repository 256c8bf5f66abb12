import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActiveRecordSessionRowSchema, RailsSessionSchema, decodeRedisSession, toActiveRecordSession, toPlain } from '../src/index.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const fixtures = storeFixtures();

describe('zod schemas', () => {
  it('every row we write is a valid row', () => {
    for (const f of fixtures) expect(ActiveRecordSessionRowSchema.safeParse(toActiveRecordSession({ key: f.key, value: f.value })).success).toBe(true);
    expect(ActiveRecordSessionRowSchema.safeParse({ session_id: '', data: 'x' }).success).toBe(false);
  });

  it('the plain view of every real session passes the well-known-keys schema', () => {
    // A plain Rack (Sinatra) session keeps its own flash shape; the schema is for Rails sessions.
    for (const f of fixtures.filter((f) => !f.name.includes('sinatra'))) {
      const plain = toPlain(decodeRedisSession(f.key, f.value).session, { onLoss: 'ignore' });
      const result = RailsSessionSchema.safeParse(plain);
      expect(result.success, `${f.name}: ${result.success ? '' : result.error.message}`).toBe(true);
    }
  });

  it('names the key and the place that do not fit', () => {
    const result = RailsSessionSchema.safeParse({
      _csrf_token: 'not a token!',
      flash: { discard: [], flashes: 'oops' },
      'warden.user.user.key': [['1'], 7],
      'warden.user.admin.session': 5,
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['_csrf_token', 'flash.flashes', 'warden.user.admin.session']));
    expect(paths.some((p) => p.startsWith('warden.user.user.key'))).toBe(true);
  });

  it('accepts both Devise serializations', () => {
    expect(RailsSessionSchema.safeParse({ 'warden.user.user.key': [[1], '$2a$12$abcdefghijklmnopqrstuv'] }).success).toBe(true);
    expect(RailsSessionSchema.safeParse({ 'warden.user.user.key': ['User', [1], '$2a$12$abcdefghijklmnopqrstuv'] }).success).toBe(true);
  });
});

describe('the exported schemas with zod', () => {
  it('are zod schemas: they parse alone and compose into full zod schemas', () => {
    const row = { session_id: '2::abc', data: 'BAh7AA==\n' };
    expect(ActiveRecordSessionRowSchema.parse(row)).toEqual(row);
    const batch = z.array(ActiveRecordSessionRowSchema);
    expect(batch.parse([row, row])).toEqual([row, row]);
    const result = z.object({ rows: batch }).safeParse({ rows: [{ session_id: '', data: 'x' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['rows', 0, 'session_id']);
    expect(RailsSessionSchema.safeParse({ _csrf_token: 'not a token!' }).success).toBe(false);
  });
});
