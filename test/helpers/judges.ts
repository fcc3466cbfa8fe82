/** The study's responses with three judges' labels, for the tests of the judges page and of Explore under another judge. */
import { valuePolarity, type Label } from "../../src/lib/interviews.js";
import { isBaseline, type JudgementRow, type Workspace } from "../../src/lib/workspace.js";
import { paperFixture } from "./paper.js";

const LABELS: Label[] = ["pro", "con", "NULL"];

/** A seeded generator (an LCG: enough to vary labels deterministically). */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The study's responses judged by three judges: judge-a (the primary, whose labels the
 * responses carry), judge-b flipping a fifth of the labels and skipping some responses,
 * judge-c flipping two fifths, sometimes giving one label fewer or no detected language.
 * Some responses were found in another language.
 */
export function threeJudges(): Workspace {
  const paper = paperFixture();
  const next = generator(7);
  const flip = (l: Label, rate: number) => (next() < rate ? LABELS[Math.floor(next() * 3)]! : l);
  const judgements: JudgementRow[] = [];
  const responses = paper.responses.map((r, i) => {
    if (isBaseline(r.model)) return r;
    const response_id = `r${i}`;
    const labels = Array.from({ length: 1 + Math.floor(next() * 5) }, () => LABELS[Math.floor(next() * 3)]!);
    const response_language = next() < 0.05 ? "xx" : r.language;
    const row = { ...r, response_id, labels: labels.join(";"), response_language, vps: valuePolarity(labels).vps };
    judgements.push({ response_id, judge: "judge-a", labels: row.labels, response_language, vps: row.vps });
    if (next() > 0.05) {
      const b = labels.map((l) => flip(l, 0.2));
      judgements.push({
        response_id,
        judge: "judge-b",
        labels: b.join(";"),
        response_language: next() < 0.1 ? "yy" : response_language,
        vps: valuePolarity(b).vps,
      });
    }
    if (next() > 0.1) {
      const c = labels.map((l) => flip(l, 0.4)).slice(0, next() < 0.2 && labels.length > 1 ? -1 : undefined);
      judgements.push({
        response_id,
        judge: "judge-c",
        labels: c.join(";"),
        response_language: next() < 0.1 ? null : response_language,
        vps: valuePolarity(c).vps,
      });
    }
    return row;
  });
  const provenance = [...paper.provenance.filter((p) => p.key !== "judge"), { key: "judge", value: "judge-a" }];
  return { ...paper, responses, judgements, provenance };
}
