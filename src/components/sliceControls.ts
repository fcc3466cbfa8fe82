/**
 * The slice filters shared by Explore and Data & methods: models, families, prompt
 * languages, item categories and items, each bound to the URL so a slice is a link.
 * Empty selections mean "all".
 */
import * as Inputs from "npm:@observablehq/inputs";
import { languageName } from "../lib/languages.js";
import { answeringModels, categoryLabel, itemsWithData, type Slice } from "../lib/slice.js";
import type { Workspace } from "../lib/workspace.js";
import { displayNames } from "./palette.js";
import { type Control, listOf, urlParam } from "./urlState.js";

export type SliceForm = HTMLElement & { value: Omit<Slice, "countries"> };

export function sliceControls(ws: Workspace): SliceForm {
  const models = answeringModels(ws);
  const names = displayNames(ws.models);
  const families = [...new Set(ws.responses.map((r) => r.family))].sort();
  // By name, as the charts' panels are ordered (Danish, Dutch, English, Portuguese), not by code.
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort((a, b) => languageName(a).localeCompare(languageName(b), "en"));
  const items = itemsWithData(ws);
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const itemName = new Map(items.map((i) => [i.item, `${i.name} (${i.item})`]));
  const categoryInput = urlParam(
    Inputs.checkbox(categories, { label: "Item categories", format: (c: string) => categoryLabel(c), value: [] }),
    "categories",
    listOf(categories),
  );
  const itemInput = urlParam(
    Inputs.select(
      items.map((i) => i.item),
      { label: "Items", multiple: 6, format: (i: string) => itemName.get(i) ?? i, value: [] },
    ),
    "items",
    listOf(items.map((i) => i.item)),
  );
  followCategories(itemInput, categoryInput, items);
  return Inputs.form({
    languages: urlParam(
      Inputs.checkbox(languages, { label: "Prompt languages", format: (l: string) => languageName(l), value: [] }),
      "langs",
      listOf(languages),
    ),
    families: urlParam(Inputs.checkbox(families, { label: "Families", value: [] }), "families", listOf(families)),
    models: urlParam(Inputs.select(models, { label: "Models", multiple: 6, format: (m: string) => names.get(m) ?? m, value: [] }), "models", listOf(models)),
    categories: categoryInput,
    items: itemInput,
  });
}

/**
 * The item list offers only the items of the chosen categories (all items when none is
 * chosen), and lets go of a chosen item whose category is no longer chosen, so that a
 * category and an item cannot make an empty slice together.
 */
function followCategories(itemInput: Control<string[]>, categoryInput: Control<string[]>, items: ReadonlyArray<{ item: string; category: string }>): void {
  const category = new Map(items.map((i) => [i.item, i.category]));
  const offered = (item: string) => categoryInput.value.length === 0 || categoryInput.value.includes(category.get(item) ?? "");
  const apply = (announce: boolean) => {
    for (const option of itemInput.querySelectorAll("option")) option.hidden = !offered(items[Number(option.value)]?.item ?? "");
    const kept = itemInput.value.filter(offered);
    if (kept.length === itemInput.value.length) return;
    itemInput.value = kept;
    if (announce) itemInput.dispatchEvent(new Event("input", { bubbles: true }));
  };
  apply(false);
  categoryInput.addEventListener("input", () => apply(true));
}

/** A one-line description of a slice, for captions and empty states. */
export function describeSlice(slice: Omit<Slice, "countries">, ws: Workspace): string {
  const names = displayNames(ws.models);
  const parts: string[] = [];
  if (slice.languages.length) parts.push(slice.languages.map(languageName).join(", "));
  if (slice.families.length) parts.push(`${slice.families.join(", ")} family`);
  if (slice.models.length) parts.push(slice.models.map((m) => names.get(m) ?? m).join(", "));
  if (slice.categories.length) parts.push(slice.categories.map(categoryLabel).join(", "));
  if (slice.items.length) parts.push(`${slice.items.length} item${slice.items.length > 1 ? "s" : ""}`);
  return parts.length ? parts.join(" · ") : "all responses";
}
