/**
 * Parses a statsmodels OLS summary (the study's published US-bias table,
 * supplementary/regressions/us_centric_bias_regression_results_normal.txt) into numbers,
 * so the reproduced coefficients can be set beside the published ones. Strict: a line of
 * the coefficient block that is not a coefficient row is an error naming the file and the
 * line, never a silently shorter table.
 */

/** One coefficient row of an OLS summary: estimate, standard error, t, two-sided p and 95% interval. */
export interface OlsTermEstimate {
  term: string;
  coef: number;
  se: number;
  t: number;
  p: number;
  ci_low: number;
  ci_high: number;
}

export interface PublishedOls {
  /** The file the table was read from (as given to the parser). */
  file: string;
  /** The dependent variable, as named in the study's code (`metric_value`). */
  dependent: string | null;
  terms: OlsTermEstimate[];
  n: number | null;
  r2: number | null;
  adjR2: number | null;
  dfResid: number | null;
  dfModel: number | null;
  /** The residual statistics statsmodels prints under the table. */
  omnibus: number | null;
  omnibusP: number | null;
  jarqueBera: number | null;
  jarqueBeraP: number | null;
  skew: number | null;
  /** Pearson's kurtosis (3 for a normal distribution), as statsmodels prints it. */
  kurtosis: number | null;
  durbinWatson: number | null;
}

const NUM = "(-?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:e[-+]?[0-9]+)?|nan|-?inf)";
const ROW = new RegExp(`^(\\S+)\\s+${NUM}\\s+${NUM}\\s+${NUM}\\s+${NUM}\\s+${NUM}\\s+${NUM}$`, "i");
const HEADER = /^\s*coef\s+std err\s+t\s+P>\|t\|\s+\[0\.025\s+0\.975\]\s*$/;

function toNumber(text: string): number {
  const t = text.toLowerCase();
  return t === "nan" ? NaN : t === "inf" ? Infinity : t === "-inf" ? -Infinity : Number(text);
}

/** The number after a label anywhere in the summary's header or footer ("R-squared:", "Skew:"…), or null. */
function labelled(text: string, label: string): number | null {
  const escaped = label.replace(/[.()|[\]]/g, "\\$&");
  const m = new RegExp(`(?:^|\\s)${escaped}\\s+${NUM}(?=\\s|$)`, "im").exec(text);
  return m ? toNumber(m[1]!) : null;
}

/** Where the coefficient rows are: the line after the column header's dashed rule, up to the next rule of `=`. */
function coefficientBlock(lines: readonly string[], file: string): { start: number; end: number } {
  const header = lines.findIndex((l) => HEADER.test(l));
  if (header < 0) {
    throw new Error(`${file}: no coefficient header ("coef  std err  t  P>|t|  [0.025  0.975]") found: is this a statsmodels OLS summary?`);
  }
  const rule = header + 1;
  if (!/^-{10,}\s*$/.test(lines[rule] ?? "")) {
    throw new Error(`${file}, line ${rule + 1}: expected the dashed rule under the coefficient header, got "${(lines[rule] ?? "").trim()}"`);
  }
  const end = lines.findIndex((l, i) => i > rule && /^={10,}\s*$/.test(l));
  if (end < 0) throw new Error(`${file}: the coefficient block that starts at line ${rule + 2} never ends (no closing "====" rule)`);
  return { start: rule + 1, end };
}

function parseRow(line: string, lineNo: number, file: string): OlsTermEstimate {
  const m = ROW.exec(line.trim());
  if (!m) {
    throw new Error(
      `${file}, line ${lineNo}: expected a coefficient row (term, coef, std err, t, P>|t|, 0.025, 0.975), got "${line.trim()}". ` +
        `Restore the line from the study's release.`,
    );
  }
  const [coef, se, t, p, lo, hi] = m.slice(2).map(toNumber) as [number, number, number, number, number, number];
  return { term: m[1]!, coef, se, t, p, ci_low: lo, ci_high: hi };
}

/** Parses a statsmodels OLS `summary()` text; `file` names it in errors. */
export function parseOlsSummary(text: string, file: string): PublishedOls {
  const lines = text.split(/\r?\n/);
  const { start, end } = coefficientBlock(lines, file);
  const terms: OlsTermEstimate[] = [];
  const seen = new Set<string>();
  for (let i = start; i < end; i++) {
    if (lines[i]!.trim() === "") continue;
    const term = parseRow(lines[i]!, i + 1, file);
    if (seen.has(term.term)) throw new Error(`${file}, line ${i + 1}: the term "${term.term}" appears twice`);
    seen.add(term.term);
    terms.push(term);
  }
  if (terms.length === 0) throw new Error(`${file}: the coefficient block (lines ${start + 1}–${end}) has no rows`);
  return {
    file,
    dependent: /Dep\. Variable:\s+(\S+)/.exec(text)?.[1] ?? null,
    terms,
    n: labelled(text, "No. Observations:"),
    r2: labelled(text, "R-squared:"),
    adjR2: labelled(text, "Adj. R-squared:"),
    dfResid: labelled(text, "Df Residuals:"),
    dfModel: labelled(text, "Df Model:"),
    omnibus: labelled(text, "Omnibus:"),
    omnibusP: labelled(text, "Prob(Omnibus):"),
    jarqueBera: labelled(text, "Jarque-Bera (JB):"),
    jarqueBeraP: labelled(text, "Prob(JB):"),
    skew: labelled(text, "Skew:"),
    kurtosis: labelled(text, "Kurtosis:"),
    durbinWatson: labelled(text, "Durbin-Watson:"),
  };
}
