/**
 * Parses a statsmodels MixedLM summary (the study's published RQ1 table) into
 * numbers, so recomputed coefficients can be set beside the published ones.
 */

/** One coefficient row: estimate, standard error, z, two-sided p and 95% interval. */
export interface TermEstimate {
  term: string;
  coef: number;
  se: number;
  z: number;
  p: number;
  ci_low: number;
  ci_high: number;
}

export interface PublishedMixedLm {
  terms: TermEstimate[];
  n: number | null;
  groups: number | null;
  scale: number | null;
  llf: number | null;
  groupVar: number | null;
  groupVarSe: number | null;
}

function headerNumber(text: string, label: string): number | null {
  const m = new RegExp(`${label.replace(/[.()]/g, "\\$&")}\\s+(-?[0-9.]+)`).exec(text);
  return m ? Number(m[1]) : null;
}

export function parseMixedLmSummary(text: string): PublishedMixedLm {
  const terms: TermEstimate[] = [];
  let groupVar: number | null = null;
  let groupVarSe: number | null = null;
  const num = "(-?[0-9.]+|nan)";
  const row = new RegExp(`^(\\S+)\\s+${num}\\s+${num}\\s+${num}\\s+${num}\\s+${num}\\s+${num}\\s*$`);
  const varRow = new RegExp(`^(\\S+) Var\\s+${num}\\s+${num}\\s*$`);
  for (const line of text.split(/\r?\n/)) {
    const m = row.exec(line.trim());
    if (m) {
      const [, term, coef, se, z, p, lo, hi] = m;
      terms.push({ term: term!, coef: +coef!, se: +se!, z: +z!, p: +p!, ci_low: +lo!, ci_high: +hi! });
      continue;
    }
    const v = varRow.exec(line.trim());
    if (v) {
      groupVar = Number(v[2]);
      groupVarSe = Number(v[3]);
    }
  }
  if (terms.length === 0) throw new Error("No coefficient rows found: is this a statsmodels MixedLM summary?");
  return {
    terms,
    n: headerNumber(text, "No. Observations:"),
    groups: headerNumber(text, "No. Groups:"),
    scale: headerNumber(text, "Scale:"),
    llf: headerNumber(text, "Log-Likelihood:"),
    groupVar,
    groupVarSe,
  };
}
