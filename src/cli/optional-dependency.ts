/**
 * The packages only some commands need (a Redis client, the database drivers). They are optional peer
 * dependencies, so that `npm install rails-session-codec` brings no network client to library users; a command
 * loads its driver when it runs, and says which package to install when it is missing.
 */
export const OPTIONAL_DEPENDENCIES = {
  ioredis: 'Redis',
  pg: 'PostgreSQL',
  mysql2: 'MySQL',
  'better-sqlite3': 'SQLite',
} as const;

/** The name of an optional peer dependency. */
export type OptionalDependency = keyof typeof OPTIONAL_DEPENDENCIES;

/** A command needs a package that is not installed: exit status 1 and a message that says what to install. */
export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';

  constructor(
    readonly packageName: OptionalDependency,
    readonly command: string,
  ) {
    super(
      `${command} needs the package ${packageName} (the ${OPTIONAL_DEPENDENCIES[packageName]} client), which is not installed: ` +
        `npm install ${packageName}, or run npx --package rails-session-codec --package ${packageName} rails-session-codec ${command} ...`,
    );
  }
}

/** True when `error` says that `name` itself cannot be found (not one of its own imports failing). */
function isNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = error instanceof Error ? error.message : '';
  return message.includes(`'${name}'`) || message.includes(`"${name}"`) || message.includes(`'${name}/`);
}

/**
 * Loads an optional dependency for `command`: `loadOptional('ioredis', 'export', () => import('ioredis'))`. The
 * import is written out by the caller so that its types (and the bundler's external) follow the package. A
 * missing package throws `MissingDependencyError`; any other failure of the import is rethrown as it is.
 */
export async function loadOptional<T>(name: OptionalDependency, command: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isNotFound(error, name)) throw new MissingDependencyError(name, command);
    throw error;
  }
}
