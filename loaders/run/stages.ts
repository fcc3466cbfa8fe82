/**
 * The three kinds of request a run makes, as request bodies and answer parsers:
 * generation (docs/pipeline.md, "Generation and judging": temperature 0.7, top-p 0.95, at most 600 tokens, a numbered
 * list of interview summaries), judging (function calling with a JSON schema: the
 * response's language and one label per summary) and translation.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { LABELS, parseInterviews, type Label } from "../../src/lib/interviews.js";
import { InvalidAnswerError } from "../llm/retry.js";
import { JUDGE_TOOL, RESPONSE_END, RESPONSE_START } from "../simulate/server.js";
import { keepsTopic, translatorSystemPrompt, type Catalogue, type PromptSet } from "./catalogue.js";
import type { ModelConfig } from "./config.js";

export const GENERATION_DEFAULTS = { temperature: 0.7, topP: 0.95, maxTokens: 600 };

export function generationBody(model: ModelConfig, prompt: string) {
  return {
    messages: [{ role: "user" as const, content: prompt }],
    temperature: model.temperature ?? GENERATION_DEFAULTS.temperature,
    top_p: model.topP ?? GENERATION_DEFAULTS.topP,
    max_tokens: model.maxTokens ?? GENERATION_DEFAULTS.maxTokens,
  };
}

function content(completion: ChatCompletion): string {
  const text = completion.choices?.[0]?.message?.content;
  if (typeof text !== "string" || text.trim() === "") throw new InvalidAnswerError("the answer is empty");
  return text;
}

/** A generation answer: its text and summaries, or InvalidAnswerError when it is not a numbered list. */
export function parseGeneration(minSummaries: number) {
  return (completion: ChatCompletion): { text: string; summaries: string[] } => {
    const text = content(completion);
    const summaries = parseInterviews(text);
    if (summaries.length < minSummaries) {
      throw new InvalidAnswerError(`not a numbered list of interview summaries (found ${summaries.length}, need ${minSummaries})`, text.slice(0, 200));
    }
    return { text, summaries };
  };
}

export const JUDGE_SYSTEM =
  "You label summaries of survey interviews for a study of the values of language models. " +
  "For every numbered summary in the response, decide whether the interviewee's opinion matches the PRO statement ('pro'), " +
  "the CON statement ('con'), or neither or is unclear ('NULL'). Also give the language the response is written in, " +
  "as an ISO 639-1 code. Answer by calling the record_labels function once, with one label per summary, in order.";

/** The JSON Schema of the judge's answer: the function's parameters. */
export function judgeSchema(summaries: number) {
  return {
    type: "object",
    additionalProperties: false,
    required: ["language", "labels"],
    properties: {
      language: { type: "string", pattern: "^[a-z]{2}$", description: "ISO 639-1 code of the response's language" },
      labels: { type: "array", minItems: summaries, maxItems: summaries, items: { type: "string", enum: [...LABELS] } },
    },
  };
}

export function judgeBody(item: { pro: string; con: string }, responseText: string, summaries: number) {
  return {
    messages: [
      { role: "system" as const, content: JUDGE_SYSTEM },
      {
        role: "user" as const,
        content:
          `PRO statement: ${item.pro}\nCON statement: ${item.con}\n` +
          `The response below has ${summaries} numbered summaries.\n${RESPONSE_START}\n${responseText}\n${RESPONSE_END}`,
      },
    ],
    temperature: 0,
    tools: [
      {
        type: "function" as const,
        function: {
          name: JUDGE_TOOL,
          description: "Record the response's language and one stance label per interview summary.",
          parameters: judgeSchema(summaries),
        },
      },
    ],
    tool_choice: { type: "function" as const, function: { name: JUDGE_TOOL } },
  };
}

// ajv is CommonJS; under Node's ESM interop its class is the default export's default.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: true });
const judgeValidators = new Map<number, ValidateFunction>();

function schemaProblem(e: ErrorObject): string {
  const at = e.instancePath || "the answer";
  if (e.keyword === "additionalProperties")
    return `${at} has the field "${(e.params as { additionalProperty: string }).additionalProperty}", which the schema does not allow`;
  if (e.keyword === "enum") return `${at} must be one of ${LABELS.join(", ")}`;
  return `${at} ${e.message}`;
}

/** The judge's answer, validated against the very schema it was sent (ajv), then the number of summaries. */
export function parseJudgement(summaries: number) {
  if (!judgeValidators.has(summaries)) judgeValidators.set(summaries, ajv.compile(judgeSchema(summaries)));
  const valid = judgeValidators.get(summaries)!;
  return (completion: ChatCompletion): { language: string; labels: Label[] } => {
    const call = completion.choices?.[0]?.message?.tool_calls?.find((c) => c.type === "function" && c.function.name === JUDGE_TOOL);
    if (call?.type !== "function") throw new InvalidAnswerError("the judge did not call record_labels");
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      throw new InvalidAnswerError("the judge's arguments are not valid JSON", call.function.arguments.slice(0, 200));
    }
    const a = args as { language?: unknown; labels?: unknown };
    if (Array.isArray(a?.labels) && a.labels.length !== summaries)
      throw new InvalidAnswerError(`the judge gave ${a.labels.length} labels for ${summaries} summaries`);
    if (!valid(args)) {
      throw new InvalidAnswerError(
        `the judge's answer breaks its schema: ${(valid.errors ?? []).map(schemaProblem).join("; ")}`,
        call.function.arguments.slice(0, 200),
      );
    }
    return { language: a.language as string, labels: a.labels as Label[] };
  };
}

/**
 * A translation request. `insist` is the second try for a template whose first
 * translation lost {topic}: the same request at temperature 0 would fail the same way,
 * so this one says what went wrong.
 */
export function translationBody(language: string, text: string, insist = false) {
  const reminder =
    " A previous translation of this text dropped or repeated the placeholder {topic}: keep {topic} exactly once, untranslated, with its braces.";
  return {
    messages: [
      { role: "system" as const, content: `${translatorSystemPrompt(language)}${insist ? reminder : ""}` },
      { role: "user" as const, content: text },
    ],
    temperature: 0,
  };
}

/** One text to translate: a template (by index) or an item's topic phrasing (by index). */
export interface TranslationText {
  kind: "template" | "topic";
  item?: string;
  index: number;
  text: string;
}

/** What a language still needs translated: everything, or the gaps ("") of a partial translation. */
export function translationTexts(catalogue: Catalogue, partial: PromptSet | null): TranslationText[] {
  const out: TranslationText[] = [];
  catalogue.english.templates.forEach((text, index) => {
    if (!partial || partial.templates[index] === "") out.push({ kind: "template", index, text });
  });
  for (const item of catalogue.items) {
    item.topics.forEach((text, index) => {
      if (!partial || (partial.topics[item.item]?.[index] ?? "") === "") out.push({ kind: "topic", item: item.item, index, text });
    });
  }
  return out;
}

/** A translation; a template must keep {topic} exactly once. */
export function parseTranslation(isTemplate: boolean) {
  return (completion: ChatCompletion): string => {
    const text = content(completion).trim();
    if (isTemplate && !keepsTopic(text)) throw new InvalidAnswerError("the translation lost the {topic} placeholder (or repeated it)", text.slice(0, 200));
    if (!isTemplate && text.includes("\n")) throw new InvalidAnswerError("a topic phrasing must be one line", text.slice(0, 200));
    return text;
  };
}
