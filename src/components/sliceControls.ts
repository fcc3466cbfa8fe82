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
import { listOf, urlParam } from "./urlState.js";

export type SliceForm = HTMLElement & { value: Omit<Slice, "countries"> };

export function sliceControls(ws: Workspace): SliceForm {
  const models = answeringModels(ws);
  const names = displayNames(ws.models);
  const families = [...new Set(ws.responses.map((r) => r.family))].sort();
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort();
  const items = itemsWithData(ws);
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const itemName = new Map(items.map((i) => [i.item, `${i.name} (${i.item})`]));
  return Inputs.form({
    languages: urlParam(
      Inputs.checkbox(languages, { label: "Prompt languages", format: (l: string) => languageName(l), value: [] }),
      "langs",
      listOf(languages),
    ),
    families: urlParam(Inputs.checkbox(families, { label: "Families", value: [] }), "families", listOf(families)),
    models: urlParam(Inputs.select(models, { label: "Models", multiple: 6, format: (m: string) => names.get(m) ?? m, value: [] }), "models", listOf(models)),
    categories: urlParam(
      Inputs.checkbox(categories, { label: "Item categories", format: (c: string) => categoryLabel(c), value: [] }),
      "categories",
      listOf(categories),
    ),
    items: urlParam(
      Inputs.select(
        items.map((i) => i.item),
        { label: "Items", multiple: 6, format: (i: string) => itemName.get(i) ?? i, value: [] },
      ),
      "items",
      listOf(items.map((i) => i.item)),
    ),
  });
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
