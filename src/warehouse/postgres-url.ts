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
  for (const text of [url, withStandInHost(url)]) {
    try {
      const u = new URL(text);
      return /^postgres(ql)?:$/.test(u.protocol) ? u : undefined;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/** The URL with `localhost` where it leaves the host empty (the query's host= names the socket). */
function withStandInHost(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/(?:[^/?#@]*@)?)(?=[:/?])/i, '$1localhost');
}

/**
 * The URL as node-postgres should be given it to connect as libpq would: a stand-in host where
 * it has none but a port (`@:5433/db?host=/socket`, which node-postgres cannot parse; the query's
 * host wins), and its sslmode read as libpq reads it (withLibpqSslModes).
 */
export function forNodePostgres(url: string): string {
  // node-postgres fills in an empty host before a / itself (`@/db`), not before a port.
  const parses = URL.canParse(url) || URL.canParse(url.replace('@/', '@localhost/'));
  return withLibpqSslModes(parsePostgresUrl(url) && !parses ? withStandInHost(url) : url);
}

/**
 * The URL with its sslmode read as libpq reads it: node-postgres 8 takes prefer, require and
 * verify-ca for verify-full (so `?sslmode=require`, as Heroku and RDS write it, fails on a
 * certificate psql accepts) and prints a warning about it, unless asked for libpq's meaning. It
 * knows no `allow` (plain first), and would ask a Unix socket for TLS, which libpq never does.
 */
export function withLibpqSslModes(url: string): string {
  const u = parsePostgresUrl(url);
  const mode = u?.searchParams.get('sslmode');
  if (!u || mode === null || mode === undefined || u.searchParams.has('uselibpqcompat')) return url;
  // No host at all is libpq's default Unix socket too.
  const host = u.searchParams.get('host') ?? (URL.canParse(url) ? decodeURIComponent(u.hostname) : '');
  const plain = host === '' || host.startsWith('/') || mode === 'allow' ? withSslMode(url, 'disable') : url;
  // Before a #fragment, which is not part of the query.
  const hash = plain.indexOf('#');
  const [head, fragment] = hash < 0 ? [plain, ''] : [plain.slice(0, hash), plain.slice(hash)];
  return `${head}${head.includes('?') ? '&' : '?'}uselibpqcompat=true${fragment}`;
}

/** The URL's sslmode, if it sets one. */
export function sslMode(url: string): string | undefined {
  return parsePostgresUrl(url)?.searchParams.get('sslmode') ?? undefined;
}

/** The URL asking for a plain connection: sslmode=prefer's second try, as libpq makes it. */
export function withoutSsl(url: string): string {
  return withSslMode(url, 'disable');
}

function withSslMode(url: string, mode: string): string {
  return url.replace(/([?&])sslmode=[^&#]*/, `$1sslmode=${mode}`);
}
