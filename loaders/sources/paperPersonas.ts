/**
 * The study's persona side experiment (demographic-gemma-results.csv): gemma-2 27B asked the
 * survey-hypothetical prompt with one sentence naming the respondents' country, once with a
 * country that speaks the prompt's language (congruent) and once with one that does not.
 * Mapped to the workspace's personas table (docs/data-sources.md), aggregated.
 */
import { basename } from "node:path";
import { aggregatePersonas } from "../../src/lib/aggregate.js";
import type { PersonaRow } from "../../src/lib/workspace.js";
import { numberCell, readCsv } from "../csv.js";

/** The country names the study's persona prompts used, as survey codes. */
export const PERSONA_COUNTRIES: ReadonlyMap<string, string> = new Map([
  ["Australia", "AU"],
  ["Brazil", "BR"],
  ["Canada", "CA"],
  ["Denmark", "DK"],
  ["Great Britain", "GB"],
  ["Kenya", "KE"],
  ["Netherlands", "NL"],
  ["New Zealand", "NZ"],
  ["Nigeria", "NG"],
  ["Portugal", "PT"],
  ["Singapore", "SG"],
  ["United States", "US"],
]);

const COLUMNS = ["model", "language", "question_key", "country", "is_congruent", "response_pro_score", "response_language", "response_pro_con"];

function congruence(text: string, file: string, line: number): boolean {
  const t = text.trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  throw new Error(`${file}, line ${line}: column "is_congruent" should be true or false, got ${JSON.stringify(text)}`);
}

function countryCode(name: string, file: string, line: number): string {
  const code = PERSONA_COUNTRIES.get(name.trim());
  if (!code) throw new Error(`${file}, line ${line}: unknown persona country ${JSON.stringify(name)}; known: ${[...PERSONA_COUNTRIES.keys()].join(", ")}`);
  return code;
}

/** Pro and con summaries among a response's `;`-separated labels. */
function labelledSize(labels: string): number {
  return labels.split(";").filter((l) => l === "pro" || l === "con").length;
}

/** The personas table from the release file: responses judged in the prompt's language, with a VPS. */
export function paperPersonas(path: string): PersonaRow[] {
  const file = basename(path);
  const rows: PersonaRow[] = [];
  readCsv(path, COLUMNS).forEach((r, i) => {
    const line = i + 2;
    const vps = numberCell(r, "response_pro_score", file, line);
    if (vps === null || r.response_language !== r.language) return;
    rows.push({
      model: r.model!,
      language: r.language!,
      item: r.question_key!.toLowerCase(),
      country: countryCode(r.country!, file, line),
      congruent: congruence(r.is_congruent!, file, line),
      vps,
      interview_size: labelledSize(r.response_pro_con ?? ""),
      count: 1,
    });
  });
  return aggregatePersonas(rows);
}
