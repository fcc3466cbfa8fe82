/**
 * Persona prompts of a run (docs/pipeline.md, "Personas"): with `personas` in the config, every
 * sampled prompt is also asked twice with one sentence naming the respondents' country, once a
 * country whose dominant language is the prompt's (congruent) and once another (incongruent),
 * drawn with the run's seed, as in the study's side experiment. Their answers are judged like the
 * others and become the personas table instead of responses.
 */
import { countryName } from "../../src/lib/countries.js";
import type { Rng } from "../../src/lib/random.js";
import type { PersonaRow, PopulationRow } from "../../src/lib/workspace.js";
import type { SampledPrompt } from "./catalogue.js";

export interface PersonaConfig {
  /** Survey country codes to name (each needs a dominant language in the ground truth's populations). */
  countries: string[];
  /** Per prompt language, the sentence to add, with `{country}` once (the country's English name). */
  sentences: Record<string, string>;
}

export const PERSONA_SCHEMA = {
  type: "object",
  required: ["countries", "sentences"],
  additionalProperties: false,
  properties: {
    countries: { type: "array", minItems: 2, uniqueItems: true, items: { type: "string", pattern: "^[A-Z]{2,3}$" } },
    sentences: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
  },
  description: "Also ask each prompt with a congruent and an incongruent persona country (the personas table)",
} as const;

/** Problems of a persona config against the run's languages (empty when it is usable). */
export function personaConfigProblems(p: PersonaConfig, languages: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of languages) {
    const s = p.sentences[l];
    if (s === undefined)
      out.push(`personas.sentences.${l}: missing: give the sentence for ${l} prompts, with {country} once, e.g. "The respondents are from {country}."`);
    else if (s.split("{country}").length !== 2) out.push(`personas.sentences.${l}: must contain {country} exactly once, got ${JSON.stringify(s)}`);
  }
  return out;
}

/** The prompt with the sentence after its first sentence (before the whole prompt when it has no full stop). */
function withSentence(prompt: string, sentence: string): string {
  const stop = prompt.indexOf(". ");
  return stop < 0 ? `${sentence} ${prompt}` : `${prompt.slice(0, stop + 1)} ${sentence}${prompt.slice(stop + 1)}`;
}

/** Each country's dominant language; throws naming a country the populations do not have. */
function languagesOf(p: PersonaConfig, populations: readonly PopulationRow[]): Map<string, string> {
  const own = new Map(populations.filter((r) => r.level === "country" && r.language).map((r) => [r.population, r.language!]));
  const missing = p.countries.filter((c) => !own.has(c));
  if (missing.length)
    throw new Error(
      `personas.countries: ${missing.join(", ")} ${missing.length > 1 ? "have" : "has"} no dominant language in the ground truth; use countries it has (${[...own.keys()].sort().join(", ")})`,
    );
  return own;
}

/** Two persona prompts (congruent, incongruent) for each prompt, where the countries allow one of each kind. */
export function personaPrompts(prompts: readonly SampledPrompt[], p: PersonaConfig, populations: readonly PopulationRow[], rng: Rng): SampledPrompt[] {
  const own = languagesOf(p, populations);
  const out: SampledPrompt[] = [];
  for (const prompt of prompts) {
    for (const congruent of [true, false]) {
      const pool = p.countries.filter((c) => (own.get(c) === prompt.language) === congruent);
      if (pool.length === 0) continue;
      const country = pool[rng.int(pool.length)]!;
      const sentence = p.sentences[prompt.language]!.replace("{country}", countryName(country));
      out.push({ ...prompt, id: `${prompt.id}-${congruent ? "c" : "i"}`, prompt: withSentence(prompt.prompt, sentence), persona: { country, congruent } });
    }
  }
  return out;
}

/** A judged persona answer as a personas row; null when it was judged in another language or has no VPS. */
export function personaRow(model: string, prompt: SampledPrompt, judged: { language: string; vps: number | null; size: number }): PersonaRow | null {
  if (!prompt.persona || judged.language !== prompt.language || judged.vps === null) return null;
  const { country, congruent } = prompt.persona;
  return { model, language: prompt.language, item: prompt.item, country, congruent, vps: judged.vps, interview_size: judged.size, count: 1 };
}
