/**
 * The workspace of a run: responses judged by the primary judge, every judge's labels
 * when there are several (and imported labels that still label the same answers), the
 * baselines, the models and items, the ground truth and the provenance.
 */
import { BASELINE_MODELS, drawBaselines } from "../../src/lib/baselines.js";
import { valuePolarity } from "../../src/lib/interviews.js";
import { createRng } from "../../src/lib/random.js";
import { aggregatePersonas } from "../../src/lib/aggregate.js";
import {
  validateWorkspace,
  type JudgementRow,
  type ModelRow,
  type PersonaRow,
  type ProvenanceRow,
  type ResponseRow,
  type Workspace,
} from "../../src/lib/workspace.js";
import { itemRows, type SampledPrompt } from "./catalogue.js";
import { judgeName } from "./config.js";
import { personaRow } from "./personas.js";
import { summariseFailures } from "./failures.js";
import type { RunContext } from "./pipeline.js";
import type { GroundTruthInput } from "./inputs.js";
import { inputChecksums, pipelineProvenance, publicConfig } from "./provenance.js";
import { jobKey, type Generation, type Judging } from "./stageRun.js";
import { carriedJudgements, judgementsTable, responseId } from "./tables.js";
import type { Catalogue } from "./catalogue.js";
import { join } from "node:path";

interface AssembleInputs {
  catalogue: Catalogue;
  items: string[];
  benchmarks: Workspace["benchmarks"];
  gt: GroundTruthInput;
  simulatedTranslations: string | null;
}

/** The responses both generated and judged by the primary judge, every judge's rows when there are several, and the persona answers. */
function responsesOf(gen: Generation, judging: Judging): { responses: ResponseRow[]; judgements: JudgementRow[]; personas: PersonaRow[] } {
  const responses: ResponseRow[] = [];
  const judgements: JudgementRow[] = [];
  const personas: PersonaRow[] = [];
  const primary = judging.judged.get(judgeName(judging.judges[0]!))!;
  for (const job of gen.jobs) {
    const { model, prompt } = job;
    const g = gen.generated.get(jobKey(job));
    const j = primary.get(jobKey(job));
    if (!g || !j) continue;
    if (prompt.persona) {
      const { vps, pro, con } = valuePolarity(j.labels);
      const row = personaRow(model.id, prompt, { language: j.language, vps, size: pro + con });
      if (row) personas.push(row);
      continue;
    }
    const response_id = responseId(model.id, prompt.id, prompt.prompt, g.text);
    if (judging.judges.length > 1) {
      for (const [judge, labelled] of judging.judged) {
        const jj = labelled.get(jobKey(job));
        if (jj) judgements.push({ response_id, judge, labels: jj.labels.join(";"), response_language: jj.language, vps: valuePolarity(jj.labels).vps });
      }
    }
    const { template_id, topic_id, language, item } = prompt;
    responses.push({
      response_id,
      model: model.id,
      family: model.family,
      language,
      item,
      template_id,
      topic_id,
      prompt: prompt.prompt,
      response_text: g.text,
      labels: j.labels.join(";"),
      response_language: j.language,
      vps: valuePolarity(j.labels).vps,
    });
  }
  return { responses, judgements, personas };
}

/** Own judgements plus the imported labels of the folder that still label this run's answers. */
function judgementsWithCarried(ctx: RunContext, judging: Judging, responses: ResponseRow[], own: JudgementRow[]): JudgementRow[] {
  const names = judging.judges.map(judgeName);
  const carried = carriedJudgements(ctx.outDir, names, new Set(responses.map((r) => r.response_id!)));
  const judges = [...new Set(carried.rows.map((r) => r.judge))];
  if (carried.rows.length) ctx.log(`judgements: kept ${carried.rows.length} imported labels (${judges.join(", ")}) of answers this run has`);
  if (carried.dropped)
    ctx.log(
      `judgements: dropped ${carried.dropped} imported labels of answers this run no longer has (other prompts or answers); import them again for the new answers`,
    );
  return judgementsTable(own, carried.rows, responses, names[0]!);
}

function provenanceOf(
  ctx: RunContext,
  inputs: AssembleInputs,
  prompts: readonly SampledPrompt[],
  judging: Judging,
  counts: { responses: number; template: string; usage: { inputTokens: number; outputTokens: number } },
): ProvenanceRow[] {
  const { c } = ctx;
  const simulated = Boolean(ctx.options.simulate);
  const count = (stage: string) => String(ctx.failures.filter((f) => f.stage === stage).length);
  const sent = ctx.requests.generate! + ctx.requests.judge! + ctx.requests.translate!;
  return [
    { key: "source", value: simulated ? "simulated" : `run:${c.name}` },
    { key: "source_label", value: simulated ? `Simulated run "${c.name}": simulated models, not research results` : `Run "${c.name}" of the pipeline` },
    ...pipelineProvenance(),
    { key: "config_hash", value: ctx.loaded.hash },
    { key: "config", value: JSON.stringify(publicConfig(c)) },
    { key: "models", value: c.models.map((m) => m.id).join(", ") },
    { key: "judge", value: judgeName(judging.judges[0]!) },
    { key: "judges", value: judging.judges.map(judgeName).join(", ") },
    { key: "languages", value: c.languages.join(", ") },
    ...inputChecksums(c.languages, ctx.options.catalogueDir, inputs.simulatedTranslations),
    { key: "prompts", value: String(prompts.length) },
    { key: "responses_judged", value: String(counts.responses) },
    { key: "baselines_drawn_on", value: counts.template },
    { key: "failures_generate", value: count("generate") },
    { key: "failures_judge", value: count("judge") },
    { key: "failures_translate", value: count("translate") },
    { key: "requests_sent", value: String(sent) },
    { key: "tokens", value: `${counts.usage.inputTokens} in, ${counts.usage.outputTokens} out (generation and judging, requests sent by this invocation)` },
    { key: "ground_truth", value: inputs.gt.description },
    ...inputs.gt.provenance,
    { key: "started_at", value: ctx.startedAt },
    { key: "finished_at", value: ctx.now().toISOString() },
  ];
}

/** The validated workspace of the run; throws, naming the reasons, when nothing was both generated and judged. */
export function assembleWorkspace(ctx: RunContext, inputs: AssembleInputs, prompts: readonly SampledPrompt[], gen: Generation, judging: Judging): Workspace {
  const { c, outDir } = ctx;
  const { responses, judgements: own, personas } = responsesOf(gen, judging);
  if (responses.length === 0) {
    throw new Error(
      `No response was both generated and judged, so there is no workspace to write. ` +
        `The most common reasons (all ${ctx.failures.length} failures are in ${join(outDir, "failures.jsonl")}):\n  ${summariseFailures(ctx.failures).join("\n  ")}`,
    );
  }
  // The baselines copy the rows of the config's first model (docs/methodology.md, "Baselines"), or of the first model that has responses.
  const modelIds = c.models.map((m) => m.id);
  const template = modelIds.find((id) => responses.some((r) => r.model === id))!;
  if (template !== modelIds[0])
    ctx.log(`baselines: the first model, ${modelIds[0]}, has no judged responses; the baselines are drawn on ${template}'s rows instead`);
  const baselines = drawBaselines(responses, { rng: createRng(String(c.seed), "baselines"), template });
  const models: ModelRow[] = [
    ...c.models.map((m) => ({ model: m.id, display_name: m.displayName ?? m.id, family: m.family, size: m.size ?? null })),
    ...BASELINE_MODELS,
  ];
  const usage = {
    inputTokens: gen.progress.inputTokens + judging.progress.inputTokens,
    outputTokens: gen.progress.outputTokens + judging.progress.outputTokens,
  };
  const judgements = judgementsWithCarried(ctx, judging, responses, own);
  const workspace: Workspace = {
    responses: [...responses, ...baselines],
    ground_truth: inputs.gt.ground_truth,
    benchmarks: inputs.benchmarks,
    models,
    items: itemRows(inputs.catalogue, inputs.items),
    populations: inputs.gt.populations,
    provenance: provenanceOf(ctx, inputs, prompts, judging, { responses: responses.length, template, usage }),
    ...(judgements.length ? { judgements } : {}),
    ...(personas.length ? { personas: aggregatePersonas(personas) } : {}),
  };
  validateWorkspace(workspace, outDir);
  return workspace;
}

/** The run's last line: what was judged, failed, sent and cached, and where it went. */
export function logSummary(ctx: RunContext, prompts: readonly SampledPrompt[], gen: Generation, judging: Judging): void {
  const primary = judging.judged.get(judgeName(judging.judges[0]!))!;
  const judged = gen.jobs.filter((j) => gen.generated.has(jobKey(j)) && primary.has(jobKey(j))).length;
  const count = (stage: string) => ctx.failures.filter((f) => f.stage === stage).length;
  const sent = ctx.requests.generate! + ctx.requests.judge! + ctx.requests.translate!;
  const fromCache = gen.progress.cached + judging.progress.cached - gen.batch.answers - judging.batch.answers;
  ctx.log(
    `run ${ctx.c.name}: ${judged} judged responses from ${prompts.length} prompts × ${ctx.c.models.length} models; ` +
      `failures: ${count("generate")} generation, ${count("judge")} judging, ${count("translate")} translation; ` +
      `${sent} requests sent, ${fromCache} answered from the cache` +
      `${ctx.options.batch ? `, ${gen.batch.answers + judging.batch.answers} through batches` : ""} → ${ctx.outDir}`,
  );
}
