/**
 * Scaled workspaces for `npm run bench -- scale` (bench/scale.ts): the study's release
 * (the paper source) with every response row repeated `factor` times.
 *
 * Each copy keeps the row's model, family, language, item, labels, response_language and
 * vps, and gets
 * - a distinct prompt: the original prompt (null in the release, so "[release row i]") plus
 *   " [copy k]";
 * - a distinct response_id: "r<row>-c<k>";
 * - a synthetic response_text of about 1.2 KB: 180 words drawn, position by position, from
 *   a 512-word vocabulary made by `createRng(seed)`, each pick being
 *   hash(hash(seed:response_id)/2 + position) in DuckDB (DuckDB's hash of several
 *   arguments combines them too weakly for this: its low bits repeat across rows). Same factor and seed, same file.
 *
 * The other tables are copied as they are. The responses are written by DuckDB (COPY … TO
 * Parquet, zstd, 100,000-row groups) from a small base table crossed with range(factor), so
 * the 1.1 M rows at 100× never sit in JavaScript memory.
 *
 * Folders are cached under bench/.scale/<factor>x-seed<seed>/ (git-ignored); a folder whose
 * `.complete` marker is present is reused as it is.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../loaders/paths.js";
import { paperWorkspace } from "../loaders/sources/paper.js";
import { localRelease } from "../loaders/sources/paperRelease.js";
import { writeWorkspace } from "../loaders/workspaceFiles.js";
import { createRng } from "../src/lib/random.js";

export const SCALE_CACHE = join(REPO_ROOT, "bench", ".scale");

/** Words per synthetic response; with the vocabulary's word lengths, about 1.2 KB of text. */
const WORDS_PER_RESPONSE = 180;
const VOCABULARY = 512;

/** A seeded vocabulary of pseudo-words (3 to 9 letters, mean ≈ 5.7, plus a space ≈ 6.7 bytes a word). */
export function vocabulary(seed: number, size = VOCABULARY): string[] {
  const rng = createRng(seed, "scale-bench-vocabulary");
  const letters = "abcdefghijklmnopqrstuvwxyzæøåãéç";
  const words = new Set<string>();
  while (words.size < size) {
    const length = 3 + rng.int(7);
    let w = "";
    for (let i = 0; i < length; i++) w += letters[rng.int(rng.next() < 0.95 ? 26 : letters.length)];
    words.add(w);
  }
  return [...words];
}

export function scaledWorkspaceDir(factor: number, seed: number): string {
  return join(SCALE_CACHE, `${factor}x-seed${seed}`);
}

export interface ScaledWorkspace {
  dir: string;
  responses: number;
  /** Size of responses.parquet in bytes. */
  responsesBytes: number;
  /** Seconds it took to write (0 when reused from the cache). */
  seconds: number;
  reused: boolean;
}

/**
 * Writes (or reuses) the scaled workspace folder `dir`. The release is read from
 * MCA_PAPER_DATA, or ../shared/paper-data.
 */
export async function writeScaledWorkspace(dir: string, factor: number, seed: number, paperData?: string): Promise<ScaledWorkspace> {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`scale factor must be a positive integer, got ${factor}`);
  const marker = join(dir, ".complete");
  if (existsSync(marker)) {
    const count = Number((JSON.parse(readFileSync(marker, "utf8")) as { responses: number }).responses);
    return { dir, responses: count, responsesBytes: statSync(join(dir, "responses.parquet")).size, seconds: 0, reused: true };
  }
  const started = performance.now();
  const data = paperData ?? resolve(REPO_ROOT, process.env.MCA_PAPER_DATA ?? "../shared/paper-data");
  const ws = paperWorkspace(localRelease(data), "2000-01-01T00:00:00.000Z");
  ws.provenance.push(
    { key: "source_label", value: `Scale benchmark: the study's release with every response repeated ${factor}× (seed ${seed})` },
    { key: "scale_factor", value: String(factor) },
    { key: "scale_seed", value: String(seed) },
  );
  // A later key wins nowhere in particular: keep only the last source_label.
  ws.provenance = ws.provenance.filter((p, i, all) => p.key !== "source_label" || all.findLastIndex((q) => q.key === "source_label") === i);
  // Base rows: the release's responses with an index, written with the workspace's own writer.
  ws.responses = ws.responses.map((r, i) => ({ ...r, response_id: `r${i}` }));

  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeWorkspace(ws, tmp); // every table, responses included (replaced below)
  const base = join(tmp, "base_responses.parquet");
  renameSync(join(tmp, "responses.parquet"), base);

  const words = vocabulary(seed);
  const instance = await DuckDBInstance.create(":memory:", { threads: "2", memory_limit: "3GB" });
  const conn = await instance.connect();
  try {
    const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await conn.run(`CREATE TABLE words AS SELECT unnest([${words.map(sqlString).join(",")}]) AS w`);
    await conn.run(`CREATE TABLE vocab AS SELECT list(w) AS ws FROM words`);
    const out = join(tmp, "responses.parquet");
    await conn.run(`
      COPY (
        SELECT
          s.model, s.family, s.language, s.item, s.template_id, s.topic_id,
          coalesce(s.prompt, '[release row ' || substr(s.response_id, 2) || ']') || ' [copy ' || s.k || ']' AS prompt,
          array_to_string(
            list_transform(range(${WORDS_PER_RESPONSE}), i -> v.ws[1 + (hash(s.h + i) % ${words.length})::INTEGER]),
            ' ') AS response_text,
          s.labels, s.response_language, s.vps,
          s.id AS response_id
        FROM (
          -- Copy by copy, in the release's order; the text is made after the (small) sort.
          SELECT b.*, c.k, b.response_id || '-c' || c.k AS id, hash(${sqlString(`${seed}:`)} || b.response_id || '-c' || c.k) >> 1 AS h
          FROM read_parquet(${sqlString(base)}) b, range(${factor}) c(k)
          ORDER BY c.k, CAST(substr(b.response_id, 2) AS INTEGER)
        ) s, vocab v
      ) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
    const counted = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, avg(strlen(response_text))::DOUBLE AS bytes FROM read_parquet(${sqlString(out)})`);
    const [n, avgBytes] = counted.getRows()[0] as [number, number];
    rmSync(base);
    writeFileSync(
      join(tmp, ".complete"),
      `${JSON.stringify({ factor, seed, responses: n, avgResponseTextBytes: Math.round(avgBytes), writtenAt: new Date().toISOString() })}\n`,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { dir, responses: n, responsesBytes: statSync(join(dir, "responses.parquet")).size, seconds: (performance.now() - started) / 1000, reused: false };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
