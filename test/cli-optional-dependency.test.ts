import { describe, expect, it } from 'vitest';
import { loadOptional, MissingDependencyError } from '../src/cli/optional-dependency.js';

describe('optional dependencies of the CLI', () => {
  it('a missing package gives an error naming it and the install line', async () => {
    // What Node's import() throws for a package that is not installed (the real one, with the name swapped).
    const real = await import('rails-session-codec-no-such-package' as string).catch((e: unknown) => e as Error & { code: string });
    expect(real.code).toBe('ERR_MODULE_NOT_FOUND');
    const notFound = Object.assign(new Error(real.message.replace('rails-session-codec-no-such-package', 'pg')), { code: real.code });
    const error = await loadOptional('pg', 'migrate', () => Promise.reject(notFound)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as MissingDependencyError).packageName).toBe('pg');
    expect((error as Error).message).toBe(
      'migrate needs the package pg (the PostgreSQL client), which is not installed: npm install pg, or run npx --package rails-session-codec --package pg rails-session-codec migrate ...',
    );
  });

  it('a CommonJS "cannot find module" for the package is the same error', async () => {
    const notFound = Object.assign(new Error("Cannot find module 'ioredis'\nRequire stack: ..."), { code: 'MODULE_NOT_FOUND' });
    const subpath = Object.assign(new Error("Cannot find module 'mysql2/promise'"), { code: 'MODULE_NOT_FOUND' });
    await expect(loadOptional('mysql2', 'migrate', () => Promise.reject(subpath))).rejects.toThrow('migrate needs the package mysql2');
    await expect(loadOptional('ioredis', 'export', () => Promise.reject(notFound))).rejects.toThrow('export needs the package ioredis (the Redis client)');
  });

  it('a package that is there but fails inside (one of its own imports missing) is rethrown as it is', async () => {
    const inner = Object.assign(new Error("Cannot find package 'denque' imported from /x/node_modules/ioredis/built/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loadOptional('ioredis', 'export', () => Promise.reject(inner))).rejects.toBe(inner);
    const other = new TypeError('boom');
    await expect(loadOptional('ioredis', 'export', () => Promise.reject(other))).rejects.toBe(other);
  });

  it('an installed package loads', async () => {
    const module = await loadOptional('ioredis', 'export', () => import('ioredis'));
    expect(typeof module.Redis).toBe('function');
  });
});
