/**
 * A run's failed requests: what failed, at which stage and why. They are written to
 * failures.jsonl in the run folder (even when nothing could be judged), and summarised
 * by their most common reasons, so a wrong key or a server that is down is named at once.
 */
export interface Failure {
  stage: string;
  model: string;
  /** The judge, for a judging failure. */
  judge?: string;
  language: string;
  item?: string;
  prompt_id?: string;
  error: string;
  attempts: number;
}

export function sortFailures(failures: Failure[]): Failure[] {
  return failures.sort((a, b) =>
    `${a.stage}${a.model}${a.judge ?? ""}${a.prompt_id ?? a.item ?? ""}`.localeCompare(`${b.stage}${b.model}${b.judge ?? ""}${b.prompt_id ?? b.item ?? ""}`),
  );
}

export function failuresJsonl(failures: readonly Failure[]): string {
  return failures.map((f) => JSON.stringify(f)).join("\n") + (failures.length ? "\n" : "");
}

/** The most common reasons, e.g. `generate model-a: HTTP 401 ×12`, most frequent first. */
export function summariseFailures(failures: readonly Failure[], top = 5): string[] {
  const counts = new Map<string, number>();
  for (const f of failures) {
    const key = `${f.stage} ${f.judge ?? f.model}: ${f.error}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const lines = sorted.slice(0, top).map(([k, n]) => `${k} ×${n}`);
  if (sorted.length > top) lines.push(`… and ${sorted.length - top} other reasons`);
  return lines;
}
