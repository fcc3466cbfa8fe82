/** `npm run serve` (and the tests' server): compression, caching, ranges, and a malformed URL is a 400, never the server's end. */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { type IncomingHttpHeaders, request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheControl, decodePath, negotiateEncoding, normalizeBase, parseRange, serveDir, type StaticServer } from "../../scripts/serve.js";

/** A request through node:http, which (unlike fetch) shows the bytes as sent. */
function raw(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

// Text that compresses, and bytes (a stand-in for Parquet) that do not.
const JS = Buffer.from(Array.from({ length: 400 }, (_, i) => `export const v${i} = ${i * 7};\n`).join(""));
const NOISE = randomBytes(5000);
const HTML = Buffer.from(`<!doctype html><p>${"alignment ".repeat(300)}</p>`);

let dir: string;
let s: StaticServer;
const files: Record<string, Buffer | string> = {
  "index.html": "<p>hi</p>",
  "alignment.html": "<p>a</p>",
  "explore.html": HTML,
  "_observablehq/client.3ba6bb84.js": JS,
  "_npm/htl@0.3.1/fffdd00e.js": JS,
  "_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm": JS,
  "_file/data/responses.044280f9.parquet": NOISE,
  "_file/data/plain.json": JS,
  "big.txt": NOISE,
  "empty.txt": "",
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "serve-"));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  s = await serveDir(dir);
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("serveDir: paths", () => {
  it("answers a malformed percent-encoding with 400 and keeps serving", async () => {
    expect((await fetch(`${s.url}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${s.url}/%`)).status).toBe(400);
    expect(await (await fetch(`${s.url}/alignment`)).text()).toBe("<p>a</p>");
    expect((await fetch(`${s.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it("serves clean URLs, index.html for directories, 404 otherwise", async () => {
    expect(await (await fetch(`${s.url}/`)).text()).toBe("<p>hi</p>");
    expect(await (await fetch(`${s.url}/alignment.html`)).text()).toBe("<p>a</p>");
    expect((await fetch(`${s.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${s.url}/_file`)).status).toBe(404);
    expect((await fetch(`${s.url}/a%00b`)).status).toBe(404);
  });

  it("serves under a base path, as GitHub Pages serves a project site, and nothing outside it", async () => {
    const under = await serveDir(dir, 0, "site/");
    try {
      const origin = under.url.slice(0, -"/site".length);
      expect(under.url).toMatch(/\/site$/);
      expect(await (await fetch(`${under.url}/`)).text()).toBe("<p>hi</p>");
      expect(await (await fetch(`${under.url}/alignment`)).text()).toBe("<p>a</p>");
      expect((await fetch(`${origin}/alignment`)).status).toBe(404);
      expect((await fetch(`${origin}/`)).status).toBe(404);
      const bare = await fetch(under.url, { redirect: "manual" });
      expect([bare.status, bare.headers.get("location")]).toEqual([301, "/site/"]);
    } finally {
      await under.close();
    }
    expect(normalizeBase("/")).toBe("/");
    expect(normalizeBase("repo")).toBe("/repo/");
    expect(() => normalizeBase("/a b/")).toThrow(/--base must be a URL path such as \/my-repo\/, got "\/a b\/"/);
  });

  it("decodes paths, or says they are malformed", () => {
    expect(decodePath("/a%20b")).toBe("/a b");
    expect(decodePath("/%E0%A4%A")).toBeNull();
  });
});

describe("serveDir: compression", () => {
  it("sends brotli, preferred, and gzip, which decode to the file", async () => {
    const br = await raw(`${s.url}/_observablehq/client.3ba6bb84.js`, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(JS.length / 3);
    expect(brotliDecompressSync(br.body).equals(JS)).toBe(true);
    const gz = await raw(`${s.url}/explore`, { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(HTML)).toBe(true);
    expect(await (await fetch(`${s.url}/explore`)).text()).toBe(HTML.toString()); // fetch decodes it
  });

  it("sends the file as it is without Accept-Encoding, for Parquet, and for small files", async () => {
    const plain = await raw(`${s.url}/_observablehq/client.3ba6bb84.js`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    expect(plain.body.equals(JS)).toBe(true);
    const parquet = await raw(`${s.url}/_file/data/responses.044280f9.parquet`, { "accept-encoding": "br, gzip" });
    expect(parquet.headers["content-encoding"]).toBeUndefined();
    expect(parquet.headers.vary).toBeUndefined();
    expect(parquet.body.equals(NOISE)).toBe(true);
    const small = await raw(`${s.url}/alignment`, { "accept-encoding": "br" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    // Incompressible text is sent as it is: the compressed body would be no smaller.
    const noise = await raw(`${s.url}/big.txt`, { "accept-encoding": "br" });
    expect(noise.headers["content-encoding"]).toBeUndefined();
    expect(noise.body.equals(NOISE)).toBe(true);
  });

  it("honours q-values", () => {
    expect(negotiateEncoding("gzip, deflate, br")).toBe("br");
    expect(negotiateEncoding("gzip, br;q=0")).toBe("gzip");
    expect(negotiateEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(negotiateEncoding("*")).toBe("br");
    expect(negotiateEncoding("deflate")).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
  });

  it("records the bytes sent: compressed size, range length, nothing for HEAD or 304", async () => {
    s.bytes.clear();
    const br = await raw(`${s.url}/_npm/htl@0.3.1/fffdd00e.js`, { "accept-encoding": "br" });
    const again = await raw(`${s.url}/_npm/htl@0.3.1/fffdd00e.js`, { "accept-encoding": "br" }); // from the cache
    expect(again.body.equals(br.body)).toBe(true);
    await raw(`${s.url}/_file/data/responses.044280f9.parquet`, { range: "bytes=0-99" });
    const head = await raw(`${s.url}/explore`, {}, "HEAD");
    await raw(`${s.url}/explore`, { "if-none-match": head.headers.etag ?? "" });
    await raw(`${s.url}/alignment`);
    expect(Object.fromEntries(s.bytes)).toEqual({
      "/_npm/htl@0.3.1/fffdd00e.js": 2 * br.body.length,
      "/_file/data/responses.044280f9.parquet": 100,
      "/alignment": 8,
    });
  });
});

describe("serveDir: caching", () => {
  it("caches content-hashed files as immutable and revalidates the rest", async () => {
    const immutable = "public, max-age=31536000, immutable";
    for (const path of [
      "/_observablehq/client.3ba6bb84.js",
      "/_npm/htl@0.3.1/fffdd00e.js",
      "/_file/data/responses.044280f9.parquet",
      "/_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm",
    ]) {
      expect((await fetch(`${s.url}${path}`)).headers.get("cache-control"), path).toBe(immutable);
    }
    for (const path of ["/", "/explore", "/_file/data/plain.json"]) {
      expect((await fetch(`${s.url}${path}`)).headers.get("cache-control"), path).toBe("no-cache");
    }
    expect(cacheControl("/_import/style.17c70977.css")).toBe(immutable);
    expect(cacheControl("/_node/d3@7.9.0/index.1a2b3c4d.js")).toBe(immutable);
    expect(cacheControl("/alignment.1a2b3c4d.html")).toBe("no-cache"); // not under a build prefix
    expect(cacheControl("/_npm/foo@latest/x.js")).toBe("no-cache");
  });

  it("answers a matching ETag or an unchanged Last-Modified with 304", async () => {
    const first = await raw(`${s.url}/explore`, { "accept-encoding": "br" });
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-z]+-br"$/);
    expect(first.headers["last-modified"]).toBeTruthy();
    const again = await raw(`${s.url}/explore`, { "accept-encoding": "br", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers["cache-control"]).toBe("no-cache");
    expect((await raw(`${s.url}/explore`, { "if-none-match": `W/${etag}` })).status).toBe(304); // weak comparison
    expect((await raw(`${s.url}/explore`, { "if-none-match": '"other"' })).status).toBe(200);
    expect((await raw(`${s.url}/explore`, { "if-modified-since": first.headers["last-modified"] ?? "" })).status).toBe(304);
    expect((await raw(`${s.url}/explore`, { "if-modified-since": new Date(0).toUTCString() })).status).toBe(200);
  });

  it("sends the new version once the file changes", async () => {
    const path = join(dir, "_file/data/plain.json");
    const first = await raw(`${s.url}/_file/data/plain.json`, { "accept-encoding": "gzip" });
    const changed = Buffer.concat([JS, JS]);
    writeFileSync(path, changed);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const second = await raw(`${s.url}/_file/data/plain.json`, { "accept-encoding": "gzip", "if-none-match": first.headers.etag ?? "" });
    expect(second.status).toBe(200);
    expect(gunzipSync(second.body).equals(changed)).toBe(true);
  });
});

describe("serveDir: ranges and methods", () => {
  const url = () => `${s.url}/_file/data/responses.044280f9.parquet`;

  it("answers single byte ranges with 206 and exactly those bytes", async () => {
    const cases: [string, number, number][] = [
      ["bytes=0-99", 0, 99],
      ["bytes=4900-", 4900, 4999],
      ["bytes=-8", 4992, 4999],
      ["bytes=4990-9999", 4990, 4999], // clipped to the end
      ["bytes=-99999", 0, 4999],
    ];
    for (const [range, start, end] of cases) {
      const r = await raw(url(), { range, "accept-encoding": "br" });
      expect(r.status, range).toBe(206);
      expect(r.headers["content-range"], range).toBe(`bytes ${start}-${end}/5000`);
      expect(Number(r.headers["content-length"]), range).toBe(end - start + 1);
      expect(r.body.equals(NOISE.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it("never compresses a range, and says every file accepts ranges", async () => {
    const r = await raw(`${s.url}/_observablehq/client.3ba6bb84.js`, { range: "bytes=10-19", "accept-encoding": "br, gzip" });
    expect(r.status).toBe(206);
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.body.equals(JS.subarray(10, 20))).toBe(true);
    expect((await fetch(`${s.url}/`)).headers.get("accept-ranges")).toBe("bytes");
  });

  it("answers an unsatisfiable range with 416, and multiple or malformed ones with the whole file", async () => {
    for (const range of ["bytes=5000-", "bytes=9000-9100", "bytes=-0"]) {
      const r = await raw(url(), { range });
      expect(r.status, range).toBe(416);
      expect(r.headers["content-range"], range).toBe("bytes */5000");
    }
    for (const range of ["bytes=0-1,5-6", "bytes=9-3", "items=0-5", "bytes=x-y"]) {
      const r = await raw(url(), { range });
      expect(r.status, range).toBe(200);
      expect(r.body.length, range).toBe(5000);
    }
  });

  it("ignores Range when If-Range names another version", async () => {
    const head = await raw(url(), {}, "HEAD");
    expect((await raw(url(), { range: "bytes=0-9", "if-range": head.headers.etag ?? "" })).status).toBe(206);
    expect((await raw(url(), { range: "bytes=0-9", "if-range": '"old"' })).status).toBe(200);
  });

  it("answers HEAD with the headers and no body", async () => {
    const r = await raw(url(), {}, "HEAD");
    expect(r.status).toBe(200);
    expect(r.headers["content-length"]).toBe("5000");
    expect(r.headers["accept-ranges"]).toBe("bytes");
    expect(r.body.length).toBe(0);
    const br = await raw(`${s.url}/explore`, { "accept-encoding": "br" }, "HEAD");
    const get = await raw(`${s.url}/explore`, { "accept-encoding": "br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(Number(br.headers["content-length"])).toBe(get.body.length);
    expect(br.body.length).toBe(0);
    const ranged = await raw(url(), { range: "bytes=0-9" }, "HEAD");
    expect([ranged.status, ranged.headers["content-length"], ranged.body.length]).toEqual([206, "10", 0]);
  });

  it("answers DuckDB-WASM's probes: HEAD with bytes=0- and a 1-byte GET, both 206", async () => {
    // @duckdb/duckdb-wasm 1.29.0 opens an HTTP file this way before its ranged reads.
    const head = await raw(url(), { range: "bytes=0-", "accept-encoding": "gzip, deflate, br" }, "HEAD");
    expect([head.status, head.headers["content-length"]]).toEqual([206, "5000"]);
    const probe = await raw(url(), { range: "bytes=0-0", "accept-encoding": "gzip, deflate, br" });
    expect([probe.status, probe.headers["content-length"], probe.headers["content-range"]]).toEqual([206, "1", "bytes 0-0/5000"]);
  });

  it("answers other methods with 405 and Allow", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const r = await fetch(`${s.url}/`, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("ignores a range on an empty file", async () => {
    const r = await raw(`${s.url}/empty.txt`, { range: "bytes=0-10" });
    expect([r.status, r.body.length]).toEqual([200, 0]);
  });

  it("parses ranges", () => {
    expect(parseRange("bytes=0-0", 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange("bytes=-10", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=-", 10)).toBeNull();
    expect(parseRange(undefined, 10)).toBeNull();
  });
});
