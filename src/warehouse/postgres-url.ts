/**
 * A postgres:// URL as libpq (psql, dbt) reads it, for node-postgres. Kept apart from the runner
 * so that validating a URL does not load the driver.
 */

/**
 * The URL parsed, or undefined when it is none. A host left empty for a Unix socket named in the
 * query (`postgres://user:pw@/db?host=/var/run/postgresql`, as libpq and Cloud SQL write it) is
 * not a WHATWG URL: it is read with a stand-in host, as node-postgres reads it.
 */
export function parsePostgresUrl(url: string): URL | undefined {
  for (const text of [url, url.replace('@/', '@localhost/')]) {
    try {
      const u = new URL(text);
      return /^postgres(ql)?:$/.test(u.protocol) ? u : undefined;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/**
 * The URL with its sslmode read as libpq reads it: node-postgres 8 takes prefer, require and
 * verify-ca for verify-full (so `?sslmode=require`, as Heroku and RDS write it, fails on a
 * certificate psql accepts) and prints a warning about it, unless asked for libpq's meaning.
 */
export function withLibpqSslModes(url: string): string {
  const u = parsePostgresUrl(url);
  if (!u || !u.searchParams.has('sslmode') || u.searchParams.has('uselibpqcompat')) return url;
  return `${url}${url.includes('?') ? '&' : '?'}uselibpqcompat=true`;
}

/** The URL's sslmode, if it sets one. */
export function sslMode(url: string): string | undefined {
  return parsePostgresUrl(url)?.searchParams.get('sslmode') ?? undefined;
}

/** The URL asking for a plain connection: sslmode=prefer's second try, as libpq makes it. */
export function withoutSsl(url: string): string {
  return url.replace(/([?&])sslmode=prefer(?=&|$)/, '$1sslmode=disable');
}
