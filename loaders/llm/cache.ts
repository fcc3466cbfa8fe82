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

/** How a cache writes a file (tests inject a failing one to stand for a full disk). */
export type WriteFile = (path: string, data: string) => void;

export interface CacheOptions {
  writeFile?: WriteFile;
}

/** The cache could not store an answer (a full disk, a read-only folder): the message names the folder, the cause and the fix. */
export class CacheWriteError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    super(
      `cannot write the response cache ${dir} (${(cause as Error)?.message ?? String(cause)}); free space there or make it writable, or set cacheDir to another folder, then run again (cached answers are kept)`,
    );
    this.name = "CacheWriteError";
    this.code = code;
  }
}

export class ResponseCache {
  hits = 0;
  misses = 0;
  private readonly writeFile: WriteFile;
  constructor(
    readonly dir: string,
    options: CacheOptions = {},
  ) {
    this.writeFile = options.writeFile ?? ((path, data) => writeFileSync(path, data));
  }

  /** Checks that the folder can be created and written, with a small file written and removed; throws CacheWriteError. */
  probe(): void {
    const path = join(this.dir, `.probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
    try {
      mkdirSync(this.dir, { recursive: true });
      this.writeFile(path, "probe");
      rmSync(path, { force: true });
    } catch (error) {
      throw new CacheWriteError(this.dir, error);
    }
  }

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

  /** Stores an answer atomically; throws CacheWriteError when it cannot. */
  set(key: string, value: unknown): void {
    const path = this.path(key);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.writeFile(tmp, JSON.stringify(value));
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true }); // e.g. a full disk: leave no half-written temporary file behind
      throw new CacheWriteError(this.dir, error);
    }
  }
}
