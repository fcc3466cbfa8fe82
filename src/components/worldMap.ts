/**
 * A world map of one survey item's ground truth: each surveyed country coloured by
 * the share of its respondents on the item's pro side. The topology (Natural Earth
 * 1:110m) ships with the site; nothing is fetched at run time.
 */
import * as Plot from "npm:@observablehq/plot";
import { feature } from "npm:topojson-client";
import { countryName, countryNumeric, SUBNATIONAL } from "../lib/countries.js";
import { chartWidth } from "./width.js";

export interface WorldMapOptions {
  width?: number;
  itemName: string;
}

export function worldMap(world: { objects: { countries: unknown } }, scores: ReadonlyArray<{ country: string; pro_score: number }>, options: WorldMapOptions): HTMLElement {
  const countries = feature(world, world.objects.countries).features;
  const byNumeric = new Map<string, { country: string; pro_score: number }>();
  for (const s of scores) {
    const id = countryNumeric(s.country);
    if (id) byNumeric.set(id, s);
  }
  const value = (f: { id?: string | number }) => byNumeric.get(String(f.id))?.pro_score;
  const width = chartWidth(options.width);
  const plot = Plot.plot({
    width,
    height: Math.round(width * 0.52),
    projection: "equal-earth",
    ariaLabel: `World map: ${options.itemName}`,
    ariaDescription:
      `Share of respondents on the pro side of “${options.itemName}” in ${scores.length} surveyed countries: ` +
      [...scores].sort((a, b) => b.pro_score - a.pro_score).map((s) => `${countryName(s.country)} ${s.pro_score.toFixed(2)}`).join(", ") +
      ".",
    color: { type: "linear", domain: [0, 1], scheme: "blues", legend: true, label: "Share pro", unknown: "var(--theme-foreground-faintest)" },
    marks: [
      Plot.sphere({ stroke: "currentColor", strokeOpacity: 0.3 }),
      Plot.geo(countries, {
        fill: (f: { id?: string | number }) => value(f) ?? null,
        stroke: "var(--theme-background)",
        strokeWidth: 0.5,
        title: (f: { id?: string | number; properties: Record<string, unknown> }) => {
          const s = byNumeric.get(String(f.id));
          return s ? `${countryName(s.country)}: ${s.pro_score.toFixed(3)}` : `${String(f.properties.name)}: not in the survey data`;
        },
      }),
    ],
  });
  const figure = document.createElement("figure");
  figure.className = "world-map";
  figure.append(plot);
  const within = scores.filter((s) => SUBNATIONAL[s.country]);
  if (within.length) {
    const note = document.createElement("figcaption");
    note.textContent = within
      .map((s) => `${SUBNATIONAL[s.country]!.name} (within ${countryName(SUBNATIONAL[s.country]!.within)} on the map): ${s.pro_score.toFixed(3)}`)
      .join("; ");
    figure.append(note);
  }
  return figure;
}
