/**
 * Explore's controls beside the slice filters: the population the answers are compared
 * with (defaulting to the speakers of the one selected prompt language), the countries
 * of the survey chart, and a panel that shows one response in full.
 */
import * as Inputs from "npm:@observablehq/inputs";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import type { ResponseRow } from "../lib/workspace.js";
import { populationLabel } from "./alignmentChart.js";
import { listOf, readParam, urlParam, writeParam } from "./urlState.js";

type Control<T> = HTMLElement & { value: T };

/**
 * The default population to compare with: the speakers of the prompt language when
 * exactly one is selected, else everyone surveyed. Populations are `level:population`.
 */
export function defaultReference(languages: readonly string[], populations: readonly string[]): string {
  const own = languages.length === 1 ? `language:${languages[0]}` : null;
  if (own && populations.includes(own)) return own;
  if (populations.includes("global:global")) return "global:global";
  return populations.find((p) => p.startsWith("language:")) ?? populations[0]!;
}

/**
 * "Compare with", bound to `ref` in the URL. Until the reader picks a population (or a
 * link names one), it follows the slice's prompt language.
 */
export function referenceSelect(populations: readonly string[], sliceForm: Control<{ languages: string[] }>): Control<string> {
  let fallback = defaultReference(sliceForm.value.languages, populations);
  const select = Inputs.select(populations, {
    label: "Compare with",
    format: (p: string) => populationLabel(p.split(":")[0]!, p.split(":")[1]!),
    value: fallback,
  }) as Control<string>;
  const given = readParam("ref");
  let chosen = given !== null && populations.includes(given);
  if (chosen) select.value = given!;
  select.addEventListener("input", () => {
    chosen = select.value !== fallback;
    writeParam("ref", chosen ? select.value : null);
  });
  sliceForm.addEventListener("input", () => {
    const next = defaultReference(sliceForm.value.languages, populations);
    if (next === fallback) return;
    fallback = next;
    if (chosen || select.value === next) return;
    select.value = next;
    select.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return select;
}

/** The countries of the survey chart (and of the slice's ground-truth download), bound to `countries`. */
export function countrySelect(countries: readonly string[]): Control<string[]> {
  return urlParam(
    Inputs.select(countries, {
      label: "Countries (survey chart and its download)",
      multiple: 5,
      format: (c: string) => countryName(c),
      value: [],
    }) as unknown as Control<string[]>,
    "countries",
    listOf(countries),
  );
}

/** One response in full: its prompt, the model's answer and the judge's labels. */
export function responseDetail(row: ResponseRow | null | undefined, names: Map<string, string>, itemNames: Map<string, string>): HTMLElement {
  const div = document.createElement("div");
  div.className = "response-detail";
  if (!row) {
    div.className += " fit-stats";
    div.textContent = "Select a row of the table to read its prompt and the model's full answer here.";
    return div;
  }
  div.className += " card";
  const h = document.createElement("h3");
  h.textContent = `${names.get(row.model) ?? row.model} · ${languageName(row.language)} · ${itemNames.get(row.item) ?? row.item} (${row.item})`;
  const meta = document.createElement("p");
  meta.className = "fit-stats";
  meta.textContent = [
    `VPS ${row.vps == null ? "undefined (no pro or con)" : row.vps.toFixed(2)}`,
    row.labels ? `labels: ${row.labels}` : null,
    row.response_language && row.response_language !== row.language ? `answered in ${languageName(row.response_language)} (left out of the analyses)` : null,
    row.template_id ? `template ${row.template_id}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  div.append(h, meta);
  const block = (title: string, text: string | null | undefined) => {
    const label = document.createElement("h4");
    label.textContent = title;
    const body = document.createElement("div");
    body.className = "response-text";
    body.style.cssText =
      "white-space: pre-wrap; max-height: 24rem; overflow: auto; font-size: 0.85rem; padding: 0.5rem; border: 1px solid var(--theme-foreground-faint); border-radius: 4px;";
    body.textContent = text || "(not in this source)";
    div.append(label, body);
  };
  block("Prompt", row.prompt);
  block("Response", row.response_text);
  return div;
}
