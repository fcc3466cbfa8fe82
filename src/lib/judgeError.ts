/**
 * The study's judge error rate: the share of interview summaries its LLM judge labels wrongly,
 * as the study estimated it. Self-consistency is divided by (1 − rate) to undo the attenuation
 * that random labelling errors cause (docs/methodology.md, "Alignment and self-consistency"). A module of its own, so a page can
 * read the default without loading the statistics.
 */
export const JUDGE_ERROR_RATE = 0.045;
