/**
 * Colours for models: one hue per family, lighter for smaller models, so a family
 * reads as a group in every chart. Unknown families get further hues in turn.
 */
import type { ModelRow } from "../lib/workspace.js";

const FAMILY_RAMPS: Record<string, string[]> = {
  gemma: ["#9ecae1", "#4292c6", "#08519c", "#08306b"],
  olmo: ["#a1d99b", "#41ab5d", "#006d2c", "#00441b"],
  openai: ["#fdae6b", "#f16913", "#a63603", "#7f2704"],
  Baseline: ["#bdbdbd", "#737373", "#525252"],
};
const EXTRA_RAMPS = [
  ["#bcbddc", "#807dba", "#54278f"],
  ["#fc9272", "#ef3b2c", "#a50f15"],
  ["#c7e9b4", "#41b6c4", "#225ea8"],
  ["#fa9fb5", "#dd3497", "#7a0177"],
];

export const FAMILY_COLORS: Record<string, string> = { gemma: "#2171b5", olmo: "#238b45", openai: "#d94801", Baseline: "#737373" };

/** A colour per model id, in the order given. */
export function modelColors(models: readonly ModelRow[]): Map<string, string> {
  const byFamily = new Map<string, ModelRow[]>();
  for (const m of models) {
    if (!byFamily.has(m.family)) byFamily.set(m.family, []);
    byFamily.get(m.family)!.push(m);
  }
  const colors = new Map<string, string>();
  let extra = 0;
  for (const [family, members] of byFamily) {
    const ramp = FAMILY_RAMPS[family] ?? EXTRA_RAMPS[extra++ % EXTRA_RAMPS.length]!;
    members.forEach((m, i) => {
      const k = members.length === 1 ? 1 : Math.round((i * (ramp.length - 1)) / (members.length - 1));
      colors.set(m.model, ramp[Math.min(k, ramp.length - 1)]!);
    });
  }
  return colors;
}

export function familyColor(family: string): string {
  return FAMILY_COLORS[family] ?? "#756bb1";
}

/** Display name of a model id (the id itself when the models table lacks it). */
export function displayNames(models: readonly ModelRow[]): Map<string, string> {
  return new Map(models.map((m) => [m.model, m.display_name || m.model]));
}
