/**
 * A static file server for the built site (dist/), as a good host would serve it: clean URLs
 * (/alignment) map to .html files, as GitHub Pages and Netlify do and a plain
 * `python3 -m http.server` does not; text and wasm are compressed (brotli or gzip); content-hashed
 * files are cached as immutable and pages revalidate (ETag, Last-Modified, 304); single byte
 * ranges are answered with 206, as DuckDB-WASM needs for Parquet. `npm run serve [-- --port N]
 * [-- --base /repo/] [-- DIR]` serves dist/ (under /repo/ with --base, as GitHub Pages serves a
 * project site); the browser tests and the benchmarks use `serveDir`.
 */
import { createReadStream, existsSync, type Stats, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { REPO_ROOT } from "../loaders/paths.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".parquet": "application/octet-stream",
  ".arrow": "application/vnd.apache.arrow.file",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Worth compressing. Parquet (already compressed inside: brotli saves 8-20% on the site's tables),
 * PNG and other binaries are sent as they are; Arrow IPC is not compressed inside and shrinks to
 * 7-33% of its size, so it is compressed.
 */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".map", ".svg", ".csv", ".txt", ".wasm", ".arrow"]);
/** Smaller files gain less than the encoding costs; bigger ones are streamed as they are. */
const MIN_COMPRESS = 1024;
const MAX_COMPRESS = 64 * 1024 * 1024;
/**
 * Brotli quality 5, on the fly: on duckdb-eh.wasm (35.7 MB) it gives 5.6 MB in about 1.8 s, where
 * quality 6-7 save a further 1-2% for twice to three times the time and quality 11 (the default,
 * meant for precompression) saves 16% more in over two minutes. Each body is compressed once and
 * cached, so this cost falls on the first request only.
 */
const BROTLI_QUALITY = 5;

export interface StaticServer {
  url: string;
  close(): Promise<void>;
  /** Body bytes sent per request path since the last reset: compressed size when compressed, the range's length for 206. */
  bytes: Map<string, number>;
}

export type Encoding = "br" | "gzip";
export type ByteRange = { start: number; end: number };

/** The decoded path, or null when its percent-encoding is malformed. */
export function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** The encoding to send for an Accept-Encoding header: brotli when acceptable, else gzip, else none. */
export function negotiateEncoding(header: string | undefined): Encoding | null {
  const q = new Map<string, number>();
  for (const part of (header ?? "").toLowerCase().split(",")) {
    const [name = "", ...params] = part
      .trim()
      .split(";")
      .map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith("q="));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (name) q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (name: Encoding) => q.get(name) ?? q.get("*") ?? 0;
  const best = (["br", "gzip"] as const).filter((e) => weight(e) > 0);
  best.sort((a, b) => weight(b) - weight(a)); // stable: brotli first on a tie
  return best[0] ?? null;
}

/** Framework's build output whose file name carries a content hash (or an exact npm version). */
const HASHED_PREFIX = /^\/_(file|npm|observablehq|import|node)\//;
/** `name.1a2b3c4d.js`, or a name that is only the hash, as in `_npm/htl@0.3.1/fffdd00e.js`. */
const HASHED_NAME = /(^|\.)[0-9a-f]{8}\.[^/.]+$/;
/** Files of an exactly versioned npm package (`_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm`), which cannot change. */
const NPM_VERSIONED = /^\/_npm\/(@[^/]+\/)?[^/@]+@\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\//;

/** Cache-Control for a site path (`/_npm/htl@0.3.1/fffdd00e.js`): immutable when its name is content-hashed, else revalidate. */
export function cacheControl(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const hashed = HASHED_PREFIX.test(path) && (HASHED_NAME.test(name) || NPM_VERSIONED.test(path));
  return hashed ? "public, max-age=31536000, immutable" : "no-cache";
}

/**
 * A `Range` header for a file of `size` bytes: the single range to send (clipped to the file),
 * "unsatisfiable" (416), or null to send the whole file (no header, another unit, a malformed or
 * multiple range: RFC 9110 lets a server ignore Range, and a 200 with the whole file is simpler
 * than a multipart/byteranges body, which DuckDB-WASM never asks for).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  const m = /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header ?? "");
  if (!m || size === 0) return null;
  const [first, last] = [m[1] ?? "", m[2] ?? ""];
  if (first === "" && last === "") return null;
  if (first === "") {
    const n = Number(last); // suffix: the last n bytes
    return n === 0 ? "unsatisfiable" : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? Infinity : Number(last);
  if (end < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1) };
}

/** Stats of a path, or undefined when it is missing or not a valid path. */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The file a decoded request path names under root (clean URLs, index.html), or null. */
function resolveFile(root: string, decoded: string): string | null {
  const path = normalize(decoded).replace(/^(\.\.[/\\])+/, "");
  let file = join(root, path);
  if (path.endsWith("/") || path.endsWith(sep)) file = join(file, "index.html");
  else if (!stat(file) && stat(`${file}.html`)?.isFile()) file = `${file}.html`;
  const inside = file.startsWith(root + sep);
  return inside && stat(file)?.isFile() ? file : null;
}

/** A strong validator from size and mtime; a compressed body gets its encoding appended. */
function entityTag(info: Stats, encoding: Encoding | null): string {
  const base = `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}`;
  return `"${encoding ? `${base}-${encoding}` : base}"`;
}

/** Whether the client's copy is current: If-None-Match (any encoding of this version), else If-Modified-Since. */
function notModified(req: IncomingMessage, info: Stats): boolean {
  const inm = req.headers["if-none-match"];
  if (inm !== undefined) {
    const current = entityTag(info, null).slice(1, -1);
    return inm.split(",").some((t) => {
      const tag = t.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
      return tag === "*" || tag.replace(/-(br|gzip)$/, "") === current;
    });
  }
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && Math.floor(info.mtimeMs / 1000) <= Math.floor(since / 1000);
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Compressed bodies by file and encoding, for the file's version (size and mtime) they were made from. */
const compressedCache = new Map<string, { version: string; body: Promise<Buffer> }>();

/** The file compressed with `encoding`, made once per file version (concurrent requests share it). */
function compressed(file: string, info: Stats, encoding: Encoding): Promise<Buffer> {
  const key = `${file}\0${encoding}`;
  const version = `${info.size}-${info.mtimeMs}`;
  const hit = compressedCache.get(key);
  if (hit?.version === version) return hit.body;
  const body = readFile(file).then((data) =>
    encoding === "br"
      ? brotli(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length } })
      : gzipAsync(data, { level: 6 }),
  );
  compressedCache.set(key, { version, body });
  body.catch(() => compressedCache.get(key)?.body === body && compressedCache.delete(key));
  return body;
}

/** Streams `file` (or a range of it) to res, counting the bytes sent under `path`. */
function sendFile(res: ServerResponse, file: string, range: ByteRange | null, count: (n: number) => void): void {
  const stream = createReadStream(file, range ?? {});
  stream.on("data", (chunk) => count(chunk.length));
  // pipeline closes the file when the client goes away mid-body (a plain pipe would leak it).
  pipeline(stream, res, () => undefined);
}

/** Headers every answer for this file carries. */
function baseHeaders(file: string, path: string, info: Stats): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "accept-ranges": "bytes",
    "cache-control": cacheControl(path),
    "last-modified": info.mtime.toUTCString(),
  };
  if (COMPRESSIBLE.has(extname(file))) headers.vary = "Accept-Encoding";
  return headers;
}

/** The range to answer, or null: Range is ignored when If-Range names another version. */
function requestedRange(req: IncomingMessage, info: Stats): ByteRange | "unsatisfiable" | null {
  const ifRange = req.headers["if-range"];
  if (ifRange !== undefined && ifRange !== entityTag(info, null) && ifRange !== info.mtime.toUTCString()) return null;
  return parseRange(req.headers.range, info.size);
}

/** Answers GET or HEAD for an existing file: 304, 416, 206, or 200 (compressed when it pays). */
async function sendResource(req: IncomingMessage, res: ServerResponse, file: string, path: string, count: (n: number) => void): Promise<void> {
  const info = statSync(file);
  const headers = baseHeaders(file, path, info);
  const range = requestedRange(req, info);
  const compressible = headers.vary !== undefined && info.size >= MIN_COMPRESS && info.size <= MAX_COMPRESS;
  // A range is always of the file's own bytes: never compressed.
  const encoding = compressible && range === null ? negotiateEncoding(req.headers["accept-encoding"]) : null;
  const head = req.method === "HEAD";
  if (notModified(req, info)) {
    res.writeHead(304, { ...headers, etag: entityTag(info, encoding) }).end();
  } else if (range === "unsatisfiable") {
    res.writeHead(416, { ...headers, "content-range": `bytes */${info.size}`, etag: entityTag(info, null) }).end();
  } else if (range) {
    const length = range.end - range.start + 1;
    const rangeHeaders = { "content-range": `bytes ${range.start}-${range.end}/${info.size}`, "content-length": length };
    res.writeHead(206, { ...headers, ...rangeHeaders, etag: entityTag(info, null) });
    head ? res.end() : sendFile(res, file, range, count);
  } else {
    const body = encoding ? await compressed(file, info, encoding) : null;
    if (body && encoding && body.length < info.size) {
      res.writeHead(200, { ...headers, "content-encoding": encoding, "content-length": body.length, etag: entityTag(info, encoding) });
      if (!head) count(body.length);
      res.end(head ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, "content-length": info.size, etag: entityTag(info, null) });
    head ? res.end() : sendFile(res, file, null, count);
  }
}

/** A base path as the server uses it: with a leading and a trailing slash ("/", "/repo/"). */
export function normalizeBase(base: string): string {
  const trimmed = base.replace(/^\/+|\/+$/g, "");
  if (trimmed !== "" && !/^[\w.~-]+(\/[\w.~-]+)*$/.test(trimmed)) throw new Error(`--base must be a URL path such as /my-repo/, got "${base}"`);
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

/** Answers one request: 405, 400, 404, a redirect to the base's slash, or the file. */
async function handle(root: string, base: string, bytes: Map<string, number>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed");
    return;
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  // Under a base (as GitHub Pages serves a project site at /<repository>/), nothing outside it exists.
  if (`${url.pathname}/` === base) {
    res.writeHead(301, { location: base }).end();
    return;
  }
  if (!url.pathname.startsWith(base)) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const decoded = decodePath(url.pathname.slice(base.length - 1));
  if (decoded === null) {
    // A malformed escape (/%E0%A4%A) is the client's error, never the server's end.
    res.writeHead(400, { "content-type": "text/plain" }).end("bad request: malformed percent-encoding in the path");
    return;
  }
  const file = resolveFile(root, decoded);
  if (file === null) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const path = `/${relative(root, file).split(sep).join("/")}`;
  const count = (n: number) => bytes.set(url.pathname, (bytes.get(url.pathname) ?? 0) + n);
  await sendResource(req, res, file, path, count);
}

/** Serves `root` on 127.0.0.1 (`port` 0: any free port), under the URL path `base` ("/" by default; "/repo/" as GitHub Pages would). */
export async function serveDir(root: string, port = 0, base = "/"): Promise<StaticServer> {
  const dir = resolve(root);
  const prefix = normalizeBase(base);
  const bytes = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    handle(dir, prefix, bytes, req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy(err instanceof Error ? err : undefined);
      else res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}${prefix.slice(0, -1)}`,
    bytes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--port");
  const baseAt = args.indexOf("--base");
  const port = at >= 0 ? Number(args[at + 1]) : Number(process.env.PORT ?? 3000);
  const dir = resolve(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--port" && args[i - 1] !== "--base") ?? join(REPO_ROOT, "dist"));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: --port must be a port number, got "${args[at + 1]}"`);
    process.exit(2);
  }
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`serve: ${dir} holds no built site (no index.html); run \`npm run build\` first`);
    process.exit(1);
  }
  let base = "/";
  try {
    base = normalizeBase(baseAt >= 0 ? (args[baseAt + 1] ?? "") : "/");
  } catch (error) {
    console.error(`serve: ${(error as Error).message}`);
    process.exit(2);
  }
  const s = await serveDir(dir, port, base);
  console.log(`Serving ${dir} at ${s.url}/ (Ctrl-C stops)`);
}
