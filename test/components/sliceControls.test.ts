/** Explore's slice controls: languages in the panels' order, and the item list following the chosen categories. */
import { describe, expect, it } from "vitest";
import { exportsOf, loadComponents } from "../helpers/components.js";
import type * as Slice from "../../src/components/sliceControls.js";

const ws = {
  models: [{ model: "m", display_name: "M", family: "f" }],
  items: [
    { item: "A1", name: "a one", category: "family" },
    { item: "A2", name: "a two", category: "family" },
    { item: "B1", name: "b one", category: "religion" },
  ],
  responses: ["pt", "nl", "en", "da"].flatMap((language) => ["A1", "A2", "B1"].map((item) => ({ model: "m", family: "f", language, item }))),
} as never;

const { sliceControls } = await loadComponents<typeof Slice>(exportsOf(["sliceControls"]), "http://localhost/explore?categories=religion&items=A1,B1");

const options = (form: HTMLElement, label: string) =>
  [...form.querySelectorAll("label")].find((l) => l.textContent === label)!.parentElement!.querySelectorAll<HTMLOptionElement>("option");

describe("slice controls", () => {
  const form = sliceControls(ws) as unknown as HTMLElement & { value: Record<string, string[]> };

  it("list the languages by name, as the panels are ordered", () => {
    const languages = [...form.querySelectorAll("label")].find((l) => l.textContent === "Prompt languages")!.parentElement!;
    expect([...languages.querySelectorAll("input")].map((i) => i.parentElement!.textContent)).toEqual(["Danish", "Dutch", "English", "Portuguese"]);
  });

  it("offer only the chosen categories' items, and let go of a chosen item of another category", () => {
    // The link chose religion and items A1 and B1: A1 (family) is let go of at once.
    expect(form.value.items).toEqual(["B1"]);
    expect([...options(form, "Items")].map((o) => o.hidden)).toEqual([true, true, false]);
    // No category chosen: every item is offered again.
    const categories = [...form.querySelectorAll("label")].find((l) => l.textContent === "Item categories")!.parentElement!;
    const religion = categories.querySelectorAll<HTMLInputElement>("input[type=checkbox]")[1]!;
    expect(religion.checked).toBe(true);
    religion.checked = false;
    religion.dispatchEvent(new window.Event("input", { bubbles: true }));
    expect([...options(form, "Items")].map((o) => o.hidden)).toEqual([false, false, false]);
    expect(form.value.items).toEqual(["B1"]);
  });
});
