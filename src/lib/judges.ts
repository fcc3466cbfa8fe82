/**
 * Several judges of one run: who they are, how well they agree (per interview summary,
 * overall and per prompt language), and the workspace as one chosen judge labelled it
 * ("swap judge"), which every analysis then uses unchanged.
 */
import { cohenKappa, fleissKappa, krippendorffAlpha, type PairAgreement } from "./agreement.js";
import { LABELS, valuePolarity, type Label } from "./interviews.js";
import { isBaseline, type JudgementRow, type Workspace } from "./workspace.js";

/** The label categories, in the order agreement tables use. */
export const CATEGORIES: string[] = [...LABELS].sort();

/** The judge whose labels the responses table carries (from provenance), if known. */
export function primaryJudge(ws: Pick<Workspace, "provenance">): string | null {
  return ws.provenance.find((p) => p.key === "judge")?.value ?? null;
}

/** Judges with judgements in the workspace: the primary first, then by name. */
export function judgesOf(ws: Pick<Workspace, "provenance" | "judgements">): string[] {
  const names = [...new Set((ws.judgements ?? []).map((j) => j.judge))].sort();
  const primary = primaryJudge(ws);
  return primary && names.includes(primary) ? [primary, ...names.filter((n) => n !== primary)] : names;
}

export interface PairReport extends PairAgreement {
  a: string;
  b: string;
  /** Responses whose detected language both judges gave, and the share where they agree. */
  languageN: number;
  languageAgreement: number;
}

export interface AgreementGroup {
  /** Interview summaries labelled by two or more of the judges. */
  units: number;
  pairs: PairReport[];
  /** Fleiss' κ on the summaries every judge labelled (null with fewer than two judges). */
  fleiss: { kappa: number; units: number } | null;
  alpha: { alpha: number; pairable: number };
}

export interface AgreementReport extends AgreementGroup {
  judges: string[];
  byLanguage: Array<AgreementGroup & { language: string }>;
}

interface Unit {
  language: string;
  ratings: Array<Label | null>;
  /** How many interview summaries were rated so (1 for a summary of its own). */
  count: number;
}

interface Detection {
  language: string;
  detected: Array<string | null>;
  count: number;
}

/** Interview summaries rated alike, counted: their prompt language, each judge's label (null: that judge gave none), how many. */
export type RatingPattern = Unit;
/** Responses whose judges detected the same languages, counted (null: that judge gave none). */
export type DetectionPattern = Detection;

function languagePair(detections: readonly Detection[], i: number, j: number): { languageN: number; languageAgreement: number } {
  let languageN = 0;
  let same = 0;
  for (const { detected, count } of detections) {
    if (!detected[i] || !detected[j]) continue;
    languageN += count;
    if (detected[i] === detected[j]) same += count;
  }
  return { languageN, languageAgreement: languageN ? same / languageN : NaN };
}

function group(units: readonly Unit[], judges: readonly string[], detections: readonly Detection[]): AgreementGroup {
  const ratings = judges.map((_, j) => units.map((u) => u.ratings[j]!));
  const weights = units.map((u) => u.count);
  const pairs: PairReport[] = [];
  for (let i = 0; i < judges.length; i++) {
    for (let j = i + 1; j < judges.length; j++) {
      pairs.push({ ...cohenKappa(ratings[i]!, ratings[j]!, CATEGORIES, weights), a: judges[i]!, b: judges[j]!, ...languagePair(detections, i, j) });
    }
  }
  const pairable = units.reduce((n, u) => n + (u.ratings.filter((r) => r !== null).length >= 2 ? u.count : 0), 0);
  return { units: pairable, pairs, fleiss: fleissKappa(ratings, CATEGORIES, weights), alpha: krippendorffAlpha(ratings, weights) };
}

/** The report from counted units and detections: overall, then per prompt language (those with units, sorted). */
function report(judges: string[], units: readonly Unit[], detections: readonly Detection[]): AgreementReport {
  const languages = [...new Set(units.map((u) => u.language))].sort();
  return {
    judges,
    ...group(units, judges, detections),
    byLanguage: languages.map((language) => ({
      language,
      ...group(
        units.filter((u) => u.language === language),
        judges,
        detections.filter((d) => d.language === language),
      ),
    })),
  };
}

/**
 * Agreement from interview summaries and responses already counted by pattern (what the
 * site's build reads through DuckDB): the same report as `judgeAgreement` on the rows.
 */
export function agreementFromPatterns(judges: string[], ratings: readonly RatingPattern[], detections: readonly DetectionPattern[]): AgreementReport {
  const bad = ratings.find((p) => p.ratings.length !== judges.length) ?? detections.find((d) => d.detected.length !== judges.length);
  if (bad)
    throw new Error(
      `A pattern has ${"ratings" in bad ? bad.ratings.length : bad.detected.length} entries for ${judges.length} judges (${judges.join(", ")}): give one per judge, null where it gave none`,
    );
  return report(judges, ratings, detections);
}

/**
 * Agreement of the judges (default: all) on every interview summary they labelled.
 * A summary is a unit; a judge who did not label a response is missing on its summaries.
 */
export function judgeAgreement(ws: Pick<Workspace, "responses" | "provenance" | "judgements">, judges = judgesOf(ws)): AgreementReport {
  const index = new Map(judges.map((j, i) => [j, i]));
  const byResponse = new Map<string, JudgementRow[]>();
  for (const row of ws.judgements ?? []) {
    if (!index.has(row.judge)) continue;
    const list = byResponse.get(row.response_id) ?? [];
    list.push(row);
    byResponse.set(row.response_id, list);
  }
  const units: Unit[] = [];
  const detections: Detection[] = [];
  for (const r of ws.responses) {
    if (!r.response_id) continue;
    const rows = byResponse.get(r.response_id);
    if (!rows || rows.length < 2) continue;
    const split = rows.map((row) => ({ judge: index.get(row.judge)!, labels: row.labels.split(";") as Label[] }));
    const length = Math.max(...split.map((s) => s.labels.length));
    for (let k = 0; k < length; k++) {
      const ratings = new Array<Label | null>(judges.length).fill(null);
      for (const s of split) ratings[s.judge] = s.labels[k] ?? null;
      units.push({ language: r.language, ratings, count: 1 });
    }
    const detected = new Array<string | null>(judges.length).fill(null);
    for (const row of rows) detected[index.get(row.judge)!] = row.response_language;
    detections.push({ language: r.language, detected, count: 1 });
  }
  return report(judges, units, detections);
}

export interface SwappedWorkspace {
  workspace: Workspace;
  judge: string;
  /** Responses relabelled by the judge. */
  kept: number;
  /** Model responses the judge did not label (left out of every analysis). */
  dropped: number;
}

/**
 * The workspace as `judge` labelled it: each response's labels, detected language and
 * value polarity are that judge's; responses the judge did not label are left out (the
 * baselines, which no judge reads, stay). The primary judge gives the workspace back.
 */
export function withJudge(ws: Workspace, judge: string): SwappedWorkspace {
  const primary = primaryJudge(ws);
  if (judge === primary) return { workspace: ws, judge, kept: ws.responses.filter((r) => !isBaseline(r.model)).length, dropped: 0 };
  const own = (ws.judgements ?? []).filter((j) => j.judge === judge);
  if (own.length === 0) {
    const known = judgesOf(ws);
    throw new Error(`Unknown judge "${judge}": this workspace has judgements by ${known.length ? known.join(", ") : "no judge (it has no judgements table)"}`);
  }
  const byId = new Map(own.map((j) => [j.response_id, j]));
  let kept = 0;
  let dropped = 0;
  const responses = ws.responses.flatMap((r) => {
    if (isBaseline(r.model)) return [r];
    const j = r.response_id ? byId.get(r.response_id) : undefined;
    if (!j) {
      dropped++;
      return [];
    }
    kept++;
    const labels = j.labels.split(";") as Label[];
    return [{ ...r, labels: j.labels, response_language: j.response_language ?? r.response_language, vps: valuePolarity(labels).vps }];
  });
  const provenance = [
    ...ws.provenance.filter((p) => p.key !== "judge"),
    { key: "judge", value: judge },
    { key: "judge_swapped_from", value: primary ?? "unknown" },
  ];
  return { workspace: { ...ws, responses, provenance }, judge, kept, dropped };
}
