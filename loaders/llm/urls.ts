/**
 * Endpoint addresses without their secrets. A key pasted into a baseURL (a user name and
 * password, or `?api-key=…`) must never reach a message, a log, a table or the cache:
 * everything shown says `publicURL(url)`, and the cache key uses `secretFreeURL(url)`.
 */

/** Removes a user name and password, a query string and a fragment from text that does not parse as a URL. */
function stripLoosely(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)?[^/?#\s]*@/i, "$1").replace(/[?#].*$/s, "");
}

/** The address as a URL, when it has the form scheme://… (text such as "user:pass@host" is not taken for a URL of scheme "user"). */
function parse(url: string): URL | null {
  if (!/^[a-z][\w+.-]*:\/\//i.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** An endpoint address as it may be published: no user name, password, query string or fragment (and no trailing slash). */
export function publicURL(url: string): string {
  const u = parse(url);
  if (!u) return stripLoosely(url);
  u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  return u.toString().replace(/\/$/, "");
}

/**
 * The address as the cache key and the config hash see it: unchanged, unless it holds a
 * user name, password, query string or fragment, which are removed (so a key rotated in
 * the URL keeps the cache, and no hash is ever taken over a secret).
 */
export function secretFreeURL(url: string): string {
  const u = parse(url);
  if (!u) return stripLoosely(url);
  return u.username || u.password || u.search || u.hash ? publicURL(url) : url;
}

/** The secret parts of addresses (user names, passwords, query values), decoded and as written, for redaction. */
export function urlSecrets(urls: readonly string[]): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    const u = parse(url);
    if (!u) continue;
    const parts = [u.username, u.password, ...[...u.searchParams.values()], u.hash.slice(1)];
    for (const p of parts) {
      if (p.length < 4) continue; // too short to be a key; redacting it would garble messages
      out.add(p);
      try {
        out.add(decodeURIComponent(p));
      } catch {
        // not percent-encoded
      }
      out.add(encodeURIComponent(p));
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** Text with every address in it made public, and every given secret replaced by "***". */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_IN_TEXT, (url) => (/[@?#]/.test(url) ? publicURL(url) : url));
  for (const s of secrets) out = out.split(s).join("***");
  return out;
}
