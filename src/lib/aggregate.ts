/**
 * Responses aggregated to what the analyses read: one row per distinct (model, family,
 * prompt language, item, detected language, VPS, interview size), with the number of
 * responses it stands for in `count`. Every analysis gives the same result on the
 * aggregated rows as on the responses themselves (a test holds it to that), so a
 * workspace's cost grows with these cells, not with its responses. In Node the same
 * aggregation runs in DuckDB (loaders/workspaceDb.ts), over columns, never rows in memory.
 */
import { interviewSize } from "./interviews.js";
import { countOf, type PersonaRow, type ResponseRow } from "./workspace.js";

/** The columns an aggregated responses row has. */
export const AGGREGATE_COLUMNS = ["model", "family", "language", "item", "response_language", "vps", "interview_size", "count"] as const;

const KEY_SEPARATOR = "\u0000";

/** The canonical order of aggregated rows: model, family, language, item, detected language, VPS (nulls last), interview size. */
export function compareAggregated(a: ResponseRow, b: ResponseRow): number {
  for (const key of ["model", "family", "language", "item", "response_language"] as const) {
    const x = a[key] ?? "";
    const y = b[key] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  const va = a.vps ?? Infinity;
  const vb = b.vps ?? Infinity;
  if (va !== vb) return va - vb;
  return (a.interview_size ?? -1) - (b.interview_size ?? -1);
}

/** One row's interview size: its own when aggregated, else from its labels (null without labels). */
function sizeOf(r: ResponseRow): number | null {
  if (typeof r.interview_size === "number") return r.interview_size;
  const size = interviewSize({ labels: r.labels ?? null, vps: null });
  return size.fromLabels ? size.n : null;
}

/** Aggregates responses (or already aggregated rows) into counted rows, in the canonical order. */
export function aggregateResponses(rows: readonly ResponseRow[]): ResponseRow[] {
  const cells = new Map<string, ResponseRow>();
  for (const r of rows) {
    const vps = r.vps === null || r.vps === undefined || !Number.isFinite(r.vps) ? null : r.vps;
    const size = sizeOf(r);
    const key = [r.model, r.family, r.language, r.item, r.response_language, vps, size].join(KEY_SEPARATOR);
    const cell = cells.get(key);
    if (cell) cell.count! += countOf(r);
    else cells.set(key, aggregatedRow(r, vps, size));
  }
  return [...cells.values()].sort(compareAggregated);
}

function aggregatedRow(r: ResponseRow, vps: number | null, size: number | null): ResponseRow {
  return {
    model: r.model,
    family: r.family,
    language: r.language,
    item: r.item,
    template_id: null,
    topic_id: null,
    prompt: null,
    response_language: r.response_language,
    vps,
    interview_size: size,
    count: countOf(r),
  };
}

/**
 * The personas table aggregated: one row per distinct (model, language, item, country,
 * congruent, VPS, interview size) with its count, in that order. The analysis reads no more.
 */
export function aggregatePersonas(rows: readonly PersonaRow[]): PersonaRow[] {
  const cells = new Map<string, PersonaRow>();
  for (const r of rows) {
    const vps = r.vps === null || r.vps === undefined || !Number.isFinite(r.vps) ? null : r.vps;
    const size = r.interview_size ?? null;
    const key = [r.model, r.language, r.item, r.country, r.congruent, vps, size].join(KEY_SEPARATOR);
    const cell = cells.get(key);
    if (cell) cell.count! += countOf(r);
    else
      cells.set(key, {
        model: r.model,
        language: r.language,
        item: r.item,
        country: r.country,
        congruent: r.congruent,
        vps,
        interview_size: size,
        count: countOf(r),
      });
  }
  return [...cells.values()].sort(comparePersonas);
}

function comparePersonas(a: PersonaRow, b: PersonaRow): number {
  for (const key of ["model", "language", "item", "country"] as const) if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  if (a.congruent !== b.congruent) return a.congruent ? -1 : 1;
  return (a.vps ?? Infinity) - (b.vps ?? Infinity) || (a.interview_size ?? -1) - (b.interview_size ?? -1);
}
