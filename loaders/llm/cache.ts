/**
 * A durable, content-addressed cache of model answers. The key is a SHA-256 of
 * everything that determines an answer (model, endpoint, messages, parameters, tools),
 * never of the API key. Writes are atomic (temporary file, then rename), so a run
 * killed mid-write leaves no partial entry; only successful answers are stored.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** JSON with object keys sorted, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function cacheKey(request: unknown): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}

export class ResponseCache {
  hits = 0;
  misses = 0;
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** Whether a readable entry exists (a corrupted one counts as absent, as in `get`). */
  has(key: string): boolean {
    return this.read(key) !== undefined;
  }

  get<T>(key: string): T | undefined {
    const entry = this.read(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry.value as T;
  }

  /** The stored value, or undefined when there is none or it cannot be read (it is then rewritten by the next `set`). */
  private read(key: string): { value: unknown } | undefined {
    const path = this.path(key);
    if (!existsSync(path)) return undefined;
    try {
      return { value: JSON.parse(readFileSync(path, "utf8")) };
    } catch {
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    const path = this.path(key);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true }); // e.g. a full disk: leave no half-written temporary file behind
      throw error;
    }
  }
}
