/**
 * How the simulated provider answers: plausible, deterministic stand-ins for the
 * three kinds of request the pipeline makes.
 *
 * - Generation: ten interview summaries, each for, against or undecided on the topic.
 *   The share in favour follows the survey's speakers of the prompt language as far as
 *   the model is faithful and competent in that language, and drifts towards English
 *   speakers' views where it is not, so a simulated run has signal to analyse
 *   (capability, self-consistency, US-centric bias). A few answers come back in
 *   English, and a few are refusals on the first try.
 * - Judging: reads each summary's stance from the phrase banks below (with an optional
 *   error rate per judge model) and detects the answer's language.
 * - Translation: marks the text with the target language and keeps `{topic}`.
 *
 * Every draw is seeded by the request's content, so the same request gets the same
 * answer in every run.
 */
import { createRng, hashString, type Rng } from "../../src/lib/random.js";
import { parseInterviews, type Label } from "../../src/lib/interviews.js";

export interface ModelProfile {
  /** How closely the model follows the survey's answers, 0..1. */
  fidelity: number;
  /** Competence per language (ISO 639-1), 0..1; missing languages use `defaultCompetence`. */
  competence?: Record<string, number>;
  defaultCompetence?: number;
  /** Share of neutral summaries. */
  neutral?: number;
}

export interface SimulationWorld {
  /** Share in favour per item among the speakers of each language: truths[item][language]. */
  truths: Record<string, Record<string, number>>;
  /** Item of a topic phrasing, and the phrasing's language: topic text → [item, language]. */
  topics: Map<string, [string, string]>;
  profiles: Record<string, ModelProfile>;
  /** Judge error rate per judge model (labels flipped or blanked at this rate). */
  judgeErrors?: Record<string, number>;
  /** Chance that a non-English answer comes back in English (default 0.03). */
  englishDrift?: number;
  /** Chance that a first attempt is a refusal (default 0.01). */
  refusal?: number;
}

const PERSONAS: Record<string, string[]> = {
  en: [
    "A retired teacher",
    "A young nurse",
    "A shop owner",
    "A university student",
    "A farmer",
    "An engineer",
    "A bus driver",
    "A pensioner",
    "A doctor",
    "A parent of three",
    "A factory worker",
    "A civil servant",
  ],
  da: [
    "En pensioneret lærer",
    "En ung sygeplejerske",
    "En butiksejer",
    "En studerende",
    "En landmand",
    "En ingeniør",
    "En buschauffør",
    "En pensionist",
    "En læge",
    "En forælder til tre",
    "En fabriksarbejder",
    "En tjenestemand",
  ],
  nl: [
    "Een gepensioneerde leraar",
    "Een jonge verpleegkundige",
    "Een winkeleigenaar",
    "Een student",
    "Een boer",
    "Een ingenieur",
    "Een buschauffeur",
    "Een gepensioneerde",
    "Een arts",
    "Een ouder van drie kinderen",
    "Een fabrieksarbeider",
    "Een ambtenaar",
  ],
  pt: [
    "Um professor reformado",
    "Uma jovem enfermeira",
    "Um comerciante",
    "Uma estudante universitária",
    "Um agricultor",
    "Uma engenheira",
    "Um motorista de autocarro",
    "Uma pensionista",
    "Um médico",
    "Uma mãe de três filhos",
    "Um operário",
    "Uma funcionária pública",
  ],
};

/** Stance phrases per language; the simulated judge reads them back. */
export const STANCES: Record<string, Record<Label, string[]>> = {
  en: {
    pro: ["is clearly in favour", "supports it and gives personal reasons", "agrees with it without hesitation"],
    con: ["is firmly against it", "rejects it on principle", "disagrees and explains why"],
    NULL: ["has no settled view", "sees arguments on both sides", "prefers not to take a position"],
  },
  da: {
    pro: ["er klart for", "støtter det med personlige begrundelser", "er uden tøven enig"],
    con: ["er klart imod", "afviser det af princip", "er uenig og forklarer hvorfor"],
    NULL: ["har ingen fast holdning", "ser argumenter på begge sider", "vil helst ikke tage stilling"],
  },
  nl: {
    pro: ["is er duidelijk voor", "steunt het om persoonlijke redenen", "is het er zonder aarzelen mee eens"],
    con: ["is er fel tegen", "wijst het principieel af", "is het er niet mee eens en legt uit waarom"],
    NULL: ["heeft geen vaste mening", "ziet argumenten aan beide kanten", "neemt liever geen standpunt in"],
  },
  pt: {
    pro: ["é claramente a favor", "apoia por razões pessoais", "concorda sem hesitar"],
    con: ["é firmemente contra", "rejeita por princípio", "discorda e explica porquê"],
    NULL: ["não tem uma opinião formada", "vê argumentos dos dois lados", "prefere não tomar posição"],
  },
};

const STANCE_LOOKUP: Array<{ phrase: string; label: Label; language: string }> = Object.entries(STANCES).flatMap(([language, bank]) =>
  (Object.entries(bank) as Array<[Label, string[]]>).flatMap(([label, phrases]) => phrases.map((phrase) => ({ phrase, label, language }))),
);

const INTROS: Record<string, string> = {
  en: "Here are plausible summaries of the ten interviews:",
  da: "Her er plausible opsummeringer af de ti interviews:",
  nl: "Hier zijn plausibele samenvattingen van de tien interviews:",
  pt: "Aqui estão resumos plausíveis das dez entrevistas:",
};

export function requestRng(...parts: string[]): Rng {
  return createRng(hashString(parts.join("\u0000")), "simulated-provider");
}

/** Finds the item and language of a generation prompt by the topic phrasing it contains. */
export function locateTopic(prompt: string, world: SimulationWorld): { item: string | null; language: string } {
  let best: { item: string; language: string; length: number } | null = null;
  for (const [phrase, [item, language]] of world.topics) {
    if (phrase.length > (best?.length ?? 0) && prompt.includes(phrase)) best = { item, language, length: phrase.length };
  }
  return best ? { item: best.item, language: best.language } : { item: null, language: "en" };
}

/** The simulated answer of `model` to a generation prompt. */
export function simulateGeneration(model: string, prompt: string, world: SimulationWorld, attempt: number): string {
  const rng = requestRng(model, prompt);
  // Draw first, whatever the attempt, so a retry gets the same answer as a first try would.
  const refuses = rng.next() < (world.refusal ?? 0.01);
  if (attempt === 0 && refuses) return "I'm sorry, but I can't help with that request.";
  const { item, language } = locateTopic(prompt, world);
  const profile = world.profiles[model] ?? { fidelity: 0.4 + 0.4 * requestRng(model).next() };
  const competence = profile.competence?.[language] ?? profile.defaultCompetence ?? 0.7;
  const truth = item ? (world.truths[item]?.[language] ?? 0.5) : 0.5;
  const english = item ? (world.truths[item]?.en ?? truth) : truth;
  const own = profile.fidelity * truth + (1 - profile.fidelity) * (0.5 + 0.3 * (requestRng(model, item ?? "").next() - 0.5));
  const p = Math.min(0.97, Math.max(0.03, competence * own + (1 - competence) * english));
  const answerLanguage = language !== "en" && rng.next() < (world.englishDrift ?? 0.03) ? "en" : STANCES[language] ? language : "en";
  const personas = PERSONAS[answerLanguage] ?? PERSONAS.en!;
  const bank = STANCES[answerLanguage]!;
  const lines = [INTROS[answerLanguage] ?? INTROS.en!, ""];
  for (let i = 1; i <= 10; i++) {
    const u = rng.next();
    const label: Label = u < (profile.neutral ?? 0.12) ? "NULL" : rng.next() < p ? "pro" : "con";
    const phrases = bank[label];
    lines.push(`${i}. ${personas[rng.int(personas.length)]} ${phrases[rng.int(phrases.length)]}.`);
  }
  return lines.join("\n");
}

/** The simulated judge's labels and detected language for a response text. */
export function simulateJudgement(judgeModel: string, responseText: string, world: SimulationWorld): { language: string; labels: Label[] } {
  const summaries = parseInterviews(responseText);
  const rng = requestRng(judgeModel, responseText);
  const votes = new Map<string, number>();
  const errorRate = world.judgeErrors?.[judgeModel] ?? 0;
  const labels = summaries.map((s) => {
    const hit = STANCE_LOOKUP.filter((x) => s.includes(x.phrase)).sort((a, b) => b.phrase.length - a.phrase.length)[0];
    if (hit) votes.set(hit.language, (votes.get(hit.language) ?? 0) + 1);
    let label: Label = hit?.label ?? "NULL";
    if (errorRate > 0 && rng.next() < errorRate) {
      const others = (["pro", "con", "NULL"] as Label[]).filter((l) => l !== label);
      label = others[rng.int(others.length)]!;
    }
    return label;
  });
  const language = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "en";
  return { language, labels };
}

/** The simulated translation: the text marked with the target language, `{topic}` kept. */
export function simulateTranslation(text: string, language: string): string {
  return `[${language}] ${text}`;
}
