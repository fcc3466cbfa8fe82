/**
 * The response cache: a round trip, keys that change with everything that determines
 * an answer (and never with the API key), atomic writes (a write killed half way leaves
 * no partial entry; a stray temporary file changes nothing), and a corrupted entry read
 * as a miss and rewritten.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { cacheKey, canonicalJson, ResponseCache } from "../../../loaders/llm/cache.js";
import { requestKey, type Endpoint } from "../../../loaders/llm/chat.js";

/** When set, the next writeFileSync writes half its data and then fails, as a process killed mid-write would. */
const crash = vi.hoisted(() => ({ next: false }));

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const writeFileSync: typeof real.writeFileSync = (file, data, options) => {
    if (crash.next && typeof data === "string") {
      crash.next = false;
      real.writeFileSync(file, data.slice(0, Math.floor(data.length / 2)), options);
      throw new Error("killed mid-write");
    }
    real.writeFileSync(file, data, options);
  };
  return { ...real, default: { ...real, writeFileSync }, writeFileSync };
});

const root = mkdtempSync(join(tmpdir(), "mca-cache-"));
let n = 0;
const freshCache = () => new ResponseCache(join(root, `c${++n}`));
/** Every file under the cache folder, relative to it. */
const files = (cache: ResponseCache) =>
  readdirSync(cache.dir, { recursive: true })
    .map(String)
    .filter((f) => f.includes("."));
const entryPath = (cache: ResponseCache, key: string) => join(cache.dir, key.slice(0, 2), `${key}.json`);

afterEach(() => {
  crash.next = false;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ResponseCache", () => {
  it("returns what was stored, and counts hits and misses", () => {
    const cache = freshCache();
    const key = cacheKey({ q: 1 });
    const value = { choices: [{ message: { content: "1. yes\n2. no" } }], usage: { prompt_tokens: 3 } };
    expect(cache.has(key)).toBe(false);
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, value);
    expect(cache.has(key)).toBe(true);
    expect(cache.get(key)).toEqual(value);
    expect(new ResponseCache(cache.dir).get(key)).toEqual(value); // durable: another instance reads it
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
    expect(files(cache)).toEqual([join(key.slice(0, 2), `${key}.json`)]);
  });

  it("replaces an entry whole", () => {
    const cache = freshCache();
    const key = cacheKey("k");
    cache.set(key, { a: "a much longer first value ".repeat(20) });
    cache.set(key, { b: 1 });
    expect(cache.get(key)).toEqual({ b: 1 });
  });

  it("leaves no partial entry when a write is killed half way", () => {
    const cache = freshCache();
    const key = cacheKey("killed");
    crash.next = true;
    expect(() => cache.set(key, { text: "x".repeat(1000) })).toThrow(/killed mid-write/);
    expect(cache.has(key)).toBe(false);
    expect(cache.get(key)).toBeUndefined();
    expect(files(cache)).toEqual([]); // nor a temporary file
  });

  it("keeps the old entry when overwriting it is killed half way", () => {
    const cache = freshCache();
    const key = cacheKey("old");
    cache.set(key, { text: "old" });
    crash.next = true;
    expect(() => cache.set(key, { text: "new ".repeat(100) })).toThrow(/killed mid-write/);
    expect(cache.get(key)).toEqual({ text: "old" });
  });

  it("is not confused by a temporary file a killed run left behind", () => {
    const cache = freshCache();
    const key = cacheKey("stray");
    const path = entryPath(cache, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.12345.abc.tmp`, '{"half": "writ');
    expect(cache.has(key)).toBe(false);
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, { whole: true });
    expect(cache.get(key)).toEqual({ whole: true });
  });

  it("treats a corrupted entry as a miss, and rewrites it", () => {
    const cache = freshCache();
    const key = cacheKey("corrupt");
    cache.set(key, { ok: 1 });
    writeFileSync(entryPath(cache, key), '{"choices": [');
    expect(cache.has(key)).toBe(false);
    expect(cache.get(key)).toBeUndefined();
    expect(cache.misses).toBe(1);
    cache.set(key, { ok: 2 });
    expect(JSON.parse(readFileSync(entryPath(cache, key), "utf8"))).toEqual({ ok: 2 });
  });
});

describe("cache keys", () => {
  const endpoint: Endpoint = { model: "gpt-x", baseURL: "https://api.example/v1", apiKeyEnv: "KEY_A" };
  const body = { messages: [{ role: "user" as const, content: "Hello" }], temperature: 1, max_tokens: 600 };
  const key = requestKey(endpoint, body);

  it("ignores the order of object keys", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(requestKey(endpoint, { max_tokens: 600, temperature: 1, messages: body.messages })).toBe(key);
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it("differs when the model, endpoint, messages, parameters or extra material differ", () => {
    const variants = [
      requestKey({ ...endpoint, model: "gpt-y" }, body),
      requestKey({ ...endpoint, baseURL: "http://localhost:8000/v1" }, body),
      requestKey(endpoint, { ...body, messages: [{ role: "user", content: "Hello!" }] }),
      requestKey(endpoint, { ...body, messages: [{ role: "system", content: "Hello" }] }),
      requestKey(endpoint, { ...body, temperature: 0 }),
      requestKey(endpoint, { ...body, max_tokens: 601 }),
      requestKey(endpoint, { ...body, tools: [{ type: "function", function: { name: "record_labels" } }] }),
      requestKey(endpoint, body, { stage: "judge" }),
    ];
    expect(new Set([key, ...variants]).size).toBe(variants.length + 1);
  });

  it("does not depend on which API key is used", () => {
    expect(requestKey({ ...endpoint, apiKeyEnv: "KEY_B" }, body)).toBe(key);
  });
});
