/**
 * The workspace tables (docs/data-sources.md). Every data source produces these; the site and
 * the analyses depend only on them. Item keys are lower case, languages ISO 639-1,
 * countries the survey's upper-case codes.
 */

export type Level = "country" | "language" | "global";
export const LEVELS: readonly Level[] = ["global", "language", "country"];

export interface ResponseRow {
  model: string;
  family: string;
  /** The prompt's language (ISO 639-1). */
  language: string;
  item: string;
  template_id: string | null;
  topic_id: string | null;
  prompt: string | null;
  response_text?: string | null;
  /** The judge's labels, `;`-separated (`pro;con;null`), where the source has them. */
  labels?: string | null;
  /** The language the judge detected (ISO 639-1). */
  response_language: string;
  /** Value polarity score n_pro / (n_pro + n_con); null when undefined. */
  vps: number | null;
  /** Stable id of the response (joins the judgements table); absent in the study's release. */
  response_id?: string | null;
  /**
   * How many identical responses this row stands for: 1 (or absent) for a response, more
   * for a row of an aggregated table (src/lib/aggregate.ts), which carries no text or ids.
   */
  count?: number | null;
  /** Summaries the judge labelled pro or con; aggregated rows carry it instead of `labels`. */
  interview_size?: number | null;
}

/** How many responses a row stands for (see `ResponseRow.count`). */
export function countOf(r: Pick<ResponseRow, "count">): number {
  return r.count ?? 1;
}

/** The number of responses in rows that may be aggregated. */
export function totalCount(rows: ReadonlyArray<Pick<ResponseRow, "count">>): number {
  let n = 0;
  for (const r of rows) n += countOf(r);
  return n;
}

/**
 * One judge's reading of one response (the optional judgements table): every judge of a
 * run, the primary one included, and human annotators imported with `mca judges import`.
 * The responses table carries the primary judge's labels.
 */
export interface JudgementRow {
  response_id: string;
  judge: string;
  /** `;`-separated labels, one per interview summary (pro, con or NULL). */
  labels: string;
  /** The language this judge detected (null for annotators who were not asked). */
  response_language: string | null;
  vps: number | null;
}

export interface GroundTruthRow {
  level: Level;
  population: string;
  item: string;
  pro_score: number;
  n?: number | null;
}

export interface BenchmarkRow {
  model: string;
  benchmark: string;
  language: string;
  /** 0–100. */
  score: number;
}

export interface ModelRow {
  model: string;
  display_name: string;
  family: string;
  size?: number | null;
}

export interface ItemRow {
  item: string;
  name: string;
  /** The survey's letter group: C work, D family, E politics and society, F religion and morals, H security. */
  category: string;
  pro_statement: string;
  con_statement: string;
}

export interface PopulationRow {
  level: Level;
  population: string;
  /** A country's dominant interview language; the language itself at language level. */
  language: string | null;
  survey_consistency?: number | null;
  /** Spearman across items between random halves of the country's respondents (needs microdata). */
  survey_split_half?: number | null;
}

export interface ProvenanceRow {
  key: string;
  value: string;
}

export interface Workspace {
  responses: ResponseRow[];
  ground_truth: GroundTruthRow[];
  benchmarks: BenchmarkRow[];
  models: ModelRow[];
  items: ItemRow[];
  populations: PopulationRow[];
  provenance: ProvenanceRow[];
  /** Optional: present when a run was judged by two or more judges, or labels were imported. */
  judgements?: JudgementRow[];
  /** Optional: responses to prompts that name a persona's country (src/lib/analyses/personas.ts). */
  personas?: PersonaRow[];
}

/**
 * A response to a prompt that says which country the respondents are from (the optional
 * personas table), aggregated like the responses: one row per distinct cell with its count.
 * Only responses judged in the prompt's language belong in it.
 */
export interface PersonaRow {
  model: string;
  /** The prompt's language (ISO 639-1). */
  language: string;
  item: string;
  /** The persona's country, the survey's upper-case code. */
  country: string;
  /** Whether the country's dominant language is the prompt's. */
  congruent: boolean;
  /** Value polarity score; null when the judge found no pro or con summary. */
  vps: number | null;
  /** Summaries the judge labelled pro or con (null when unknown). */
  interview_size?: number | null;
  /** Responses the row stands for (1 or absent for one response). */
  count?: number | null;
}

export const TABLES = ["responses", "ground_truth", "benchmarks", "models", "items", "populations", "provenance"] as const;
export type TableName = (typeof TABLES)[number];

/** Required columns of each table (optional ones may be absent or null). */
export const REQUIRED_COLUMNS: Record<TableName, readonly string[]> = {
  responses: ["model", "family", "language", "item", "response_language", "vps"],
  ground_truth: ["level", "population", "item", "pro_score"],
  benchmarks: ["model", "benchmark", "language", "score"],
  models: ["model", "display_name", "family"],
  items: ["item", "name", "category", "pro_statement", "con_statement"],
  populations: ["level", "population", "language"],
  provenance: ["key", "value"],
};

/** Family of the study's baselines, and their model ids. */
export const BASELINE_FAMILY = "Baseline";
export const UNIFORM_BASELINE = "Baseline_uniform_random";
export const FIFTY_BASELINE = "Baseline_fifty_percent";

/** A further seeded draw of the uniform-random baseline (the robustness explorer's baseline dimension). */
export function drawnBaselineName(draw: number): string {
  return `${UNIFORM_BASELINE}#${draw}`;
}

export function isBaseline(model: string): boolean {
  return model === UNIFORM_BASELINE || model === FIFTY_BASELINE || model.startsWith(`${UNIFORM_BASELINE}#`);
}

/**
 * Checks that rows have the columns a table needs, and that keys follow the
 * conventions. Returns readable problems (empty when the table is fine).
 */
export function checkTable(name: TableName, rows: ReadonlyArray<Record<string, unknown>>, where: string = name): string[] {
  const problems: string[] = [];
  if (rows.length === 0) return problems;
  const first = rows[0]!;
  for (const col of REQUIRED_COLUMNS[name]) {
    if (!(col in first)) {
      problems.push(`${where}: missing column "${col}" (found: ${Object.keys(first).join(", ")})`);
    }
  }
  if (problems.length) return problems;
  const limit = 5;
  const bad = (msg: string) => {
    if (problems.length < limit) problems.push(`${where}: ${msg}`);
  };
  rows.forEach((row, i) => {
    if (name === "responses" || name === "ground_truth" || name === "items") {
      const item = row.item;
      if (typeof item !== "string" || item !== item.toLowerCase()) bad(`row ${i + 1}: item key ${JSON.stringify(item)} must be lower case`);
    }
    if (name === "responses") {
      const v = row.vps;
      if (v !== null && v !== undefined && (typeof v !== "number" || v < 0 || v > 1)) {
        bad(`row ${i + 1}: vps ${JSON.stringify(v)} must be a number in [0, 1] or null`);
      }
      for (const col of ["language", "response_language"]) {
        const lang = row[col];
        if (typeof lang !== "string" || !/^[a-z]{2}$/.test(lang)) bad(`row ${i + 1}: ${col} ${JSON.stringify(lang)} is not an ISO 639-1 code`);
      }
    }
    if (name === "ground_truth") {
      if (!["country", "language", "global"].includes(row.level as string))
        bad(`row ${i + 1}: level ${JSON.stringify(row.level)} must be country, language or global`);
      const s = row.pro_score;
      if (typeof s !== "number" || !(s >= 0 && s <= 1)) bad(`row ${i + 1}: pro_score ${JSON.stringify(s)} must be in [0, 1]`);
    }
    if (name === "benchmarks") {
      const s = row.score;
      if (typeof s !== "number" || !(s >= 0 && s <= 100)) bad(`row ${i + 1}: score ${JSON.stringify(s)} must be on a 0–100 scale`);
    }
  });
  return problems;
}

/** Tables a workspace may have besides TABLES. */
export const OPTIONAL_TABLES = ["judgements", "personas"] as const;
export type OptionalTableName = (typeof OPTIONAL_TABLES)[number];

const LABEL_SET = new Set(["pro", "con", "NULL"]);

/** Checks the judgements table against the responses it refers to. */
export function checkJudgements(rows: readonly JudgementRow[], responses: readonly ResponseRow[], where = "judgements"): string[] {
  const problems: string[] = [];
  if (rows.length === 0) return problems;
  for (const col of ["response_id", "judge", "labels"]) {
    if (!(col in rows[0]!)) return [`${where}: missing column "${col}" (found: ${Object.keys(rows[0]!).join(", ")})`];
  }
  const ids = new Set(responses.map((r) => r.response_id).filter((id): id is string => typeof id === "string"));
  const seen = new Set<string>();
  const bad = (msg: string) => {
    if (problems.length < 5) problems.push(`${where}: ${msg}`);
  };
  rows.forEach((row, i) => {
    if (typeof row.judge !== "string" || row.judge === "") bad(`row ${i + 1}: judge must be a non-empty name`);
    if (!ids.has(row.response_id)) bad(`row ${i + 1}: response_id ${JSON.stringify(row.response_id)} is not in the responses table`);
    const key = `${row.response_id}\u0000${row.judge}`;
    if (seen.has(key)) bad(`row ${i + 1}: judge "${row.judge}" labels response ${row.response_id} twice`);
    seen.add(key);
    if (typeof row.labels !== "string" || !row.labels.split(";").every((l) => LABEL_SET.has(l)))
      bad(`row ${i + 1}: labels ${JSON.stringify(row.labels)} must be pro, con or NULL, separated by ";"`);
  });
  return problems;
}

const PERSONA_COLUMNS = ["model", "language", "item", "country", "congruent", "vps"] as const;

/** One persona row's problems (at most one per column). */
function personaRowProblems(row: PersonaRow): string[] {
  const out: string[] = [];
  if (typeof row.model !== "string" || row.model === "") out.push("model must be a non-empty name");
  if (typeof row.language !== "string" || !/^[a-z]{2}$/.test(row.language))
    out.push(`language ${JSON.stringify(row.language)} is not an ISO 639-1 code (e.g. "da")`);
  if (typeof row.item !== "string" || row.item !== row.item.toLowerCase()) out.push(`item key ${JSON.stringify(row.item)} must be lower case`);
  if (typeof row.country !== "string" || !/^[A-Z]{2,3}$/.test(row.country))
    out.push(`country ${JSON.stringify(row.country)} must be the survey's upper-case code (e.g. "DK")`);
  if (typeof row.congruent !== "boolean") out.push(`congruent ${JSON.stringify(row.congruent)} must be true or false`);
  const v = row.vps;
  if (v !== null && v !== undefined && (typeof v !== "number" || !(v >= 0 && v <= 1))) out.push(`vps ${JSON.stringify(v)} must be a number in [0, 1] or null`);
  const n = row.count;
  if (n !== null && n !== undefined && !(Number.isInteger(n) && n >= 1)) out.push(`count ${JSON.stringify(n)} must be a whole number of at least 1`);
  return out;
}

/** Checks the personas table: its columns and each row's values (at most five problems). */
export function checkPersonas(rows: readonly PersonaRow[], where = "personas"): string[] {
  if (rows.length === 0) return [];
  const first = rows[0]!;
  const missing = PERSONA_COLUMNS.filter((c) => !(c in first));
  if (missing.length) return [`${where}: missing column ${missing.map((c) => `"${c}"`).join(", ")} (found: ${Object.keys(first).join(", ")})`];
  const problems: string[] = [];
  rows.forEach((row, i) => {
    for (const p of personaRowProblems(row)) if (problems.length < 5) problems.push(`${where}: row ${i + 1}: ${p}`);
  });
  return problems;
}

/** Throws one error listing every problem of every table. */
export function validateWorkspace(ws: Workspace, source = "workspace"): void {
  const problems = TABLES.flatMap((t) => checkTable(t, ws[t] as unknown as Array<Record<string, unknown>>, `${source}/${t}`));
  if (ws.judgements) problems.push(...checkJudgements(ws.judgements, ws.responses, `${source}/judgements`));
  if (ws.personas) problems.push(...checkPersonas(ws.personas, `${source}/personas`));
  if (ws.responses.length === 0) problems.push(`${source}/responses: the table is empty`);
  if (problems.length) throw new Error(`Invalid workspace:\n  - ${problems.join("\n  - ")}`);
}

/** Responses that count in the analyses: a defined VPS, judged in the prompt's language. */
export function scoredResponses(responses: readonly ResponseRow[]): ResponseRow[] {
  return responses.filter((r) => r.vps !== null && r.vps !== undefined && Number.isFinite(r.vps) && r.response_language === r.language);
}

/**
 * The one order of models everywhere (legends, tables, charts' axes): by family, families in
 * the order the models table first names them, then by size numerically (7B before 13B before
 * 32B; unknown sizes last), models of one size (or of none known) in the table's order.
 */
export function sortModelRows<M extends ModelRow>(models: readonly M[]): M[] {
  const family = new Map<string, number>();
  for (const m of models) if (!family.has(m.family)) family.set(m.family, family.size);
  const size = (m: ModelRow) => (typeof m.size === "number" && Number.isFinite(m.size) ? m.size : Infinity);
  const at = new Map(models.map((m, i) => [m, i]));
  const bySize = (a: ModelRow, b: ModelRow) => (size(a) === size(b) ? 0 : size(a) < size(b) ? -1 : 1);
  return [...models].sort((a, b) => family.get(a.family)! - family.get(b.family)! || bySize(a, b) || at.get(a)! - at.get(b)!);
}

/** A model ordering: sortModelRows' order of the models table, then any others alphabetically. */
export function modelOrder(ws: Pick<Workspace, "models" | "responses">): string[] {
  const order = sortModelRows(ws.models).map((m) => m.model);
  const extra = [...new Set(ws.responses.map((r) => r.model))].filter((m) => !order.includes(m)).sort();
  return [...order, ...extra];
}
