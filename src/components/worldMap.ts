/**
 * A world map of one survey item's ground truth: each surveyed country coloured by
 * the share of its respondents on the item's pro side. The topology (Natural Earth
 * 1:110m) ships with the site; nothing is fetched at run time. Countries too small for
 * the 1:110m shapes (Singapore) are drawn as dots at a committed position and listed
 * under the map, as Northern Ireland (surveyed apart from the United Kingdom) is.
 */
import * as Plot from "npm:@observablehq/plot";
import { feature } from "npm:topojson-client";
import { countryName, countryNumeric, SUBNATIONAL } from "../lib/countries.js";
import { labelLegend } from "./chartLabels.js";
import { chartWidth } from "./width.js";

export interface WorldMapOptions {
  width?: number;
  itemName: string;
}

type World = { objects: { countries: unknown } };
type CountryFeature = { id?: string | number; properties: Record<string, unknown> };

/**
 * [longitude, latitude] of the ISO 3166-1 countries and territories that have no shape
 * in world-atlas's countries-110m.json: the centroid of the largest polygon in
 * countries-50m.json, rounded to 0.1°; the last eleven, which 50m lacks too, by hand.
 */
export const SMALL_COUNTRIES: Readonly<Record<string, readonly [number, number]>> = {
  AD: [1.6, 42.5],
  AG: [-61.8, 17.1],
  AI: [-63.1, 18.2],
  AS: [-170.7, -14.3],
  AW: [-70, 12.5],
  AX: [19.9, 60.2],
  BB: [-59.6, 13.2],
  BH: [50.5, 26],
  BL: [-62.8, 17.9],
  BM: [-64.8, 32.3],
  CK: [-159.8, -21.2],
  CV: [-23.6, 15.1],
  CW: [-69, 12.2],
  DM: [-61.4, 15.4],
  FM: [158.2, 6.9],
  FO: [-6.9, 62.2],
  GD: [-61.7, 12.1],
  GG: [-2.6, 49.5],
  GI: [-5.3, 36.1],
  GS: [-36.7, -54.4],
  GU: [144.8, 13.4],
  HK: [114.1, 22.4],
  HM: [73.5, -53.1],
  IM: [-4.5, 54.2],
  IO: [72.4, -7.3],
  JE: [-2.1, 49.2],
  KI: [-157.4, 1.9],
  KM: [43.3, -11.7],
  KN: [-62.7, 17.3],
  KY: [-81.3, 19.3],
  LC: [-61, 13.9],
  LI: [9.5, 47.1],
  MC: [7.4, 43.8],
  MF: [-63.1, 18.1],
  MH: [171.2, 7.1],
  MO: [113.5, 22.2],
  MP: [145.7, 15.2],
  MS: [-62.2, 16.7],
  MT: [14.4, 35.9],
  MU: [57.6, -20.3],
  MV: [73.5, 4.2],
  NF: [167.9, -29.1],
  NR: [166.9, -0.5],
  NU: [-169.9, -19],
  PF: [-149.4, -17.7],
  PM: [-56.3, 46.9],
  PN: [-128.3, -24.4],
  PW: [134.6, 7.5],
  SC: [55.5, -4.7],
  SG: [103.8, 1.4],
  SH: [-5.7, -16],
  SM: [12.5, 43.9],
  ST: [6.6, 0.2],
  SX: [-63.1, 18.1],
  TC: [-71.7, 21.8],
  TO: [-175.2, -21.2],
  TV: [179.2, -8.5],
  UM: [-162.1, 5.9],
  VA: [12.4, 41.9],
  VC: [-61.2, 13.3],
  VG: [-64.6, 18.4],
  VI: [-64.8, 17.7],
  WF: [-178.1, -14.3],
  WS: [-172.4, -13.6],
  BQ: [-68.3, 12.2],
  BV: [3.4, -54.4],
  CC: [96.8, -12.2],
  CX: [105.6, -10.5],
  GF: [-53.2, 3.9],
  GP: [-61.6, 16.2],
  MQ: [-61, 14.6],
  RE: [55.5, -21.1],
  SJ: [16, 78.5],
  TK: [-171.8, -9.2],
  YT: [45.1, -12.8],
};

/**
 * Colours of the share pro: a green-to-blue ramp that starts well away from white and
 * stops short of navy, so the lowest share stands apart from the grey, hatched
 * countries without data on a light page and the highest from a dark page.
 */
export const SHARE_SCHEME: { scheme: Plot.ColorScheme; range: [number, number] } = { scheme: "ylgnbu", range: [0.3, 0.92] };

// The topology's GeoJSON, converted once per topology object (not on every redraw).
const converted = new WeakMap<object, { features: CountryFeature[]; ids: Set<string> }>();

export function countryFeatures(world: World): { features: CountryFeature[]; ids: Set<string> } {
  let hit = converted.get(world);
  if (!hit) {
    const features = feature(world, world.objects.countries).features as CountryFeature[];
    hit = { features, ids: new Set(features.map((f) => String(f.id))) };
    converted.set(world, hit);
  }
  return hit;
}

type Score = { country: string; pro_score: number };

/** How each surveyed country appears on the map: its shape, a dot, within another country's shape, or not at all. */
export function mapPlacement(
  scores: readonly Score[],
  ids: ReadonlySet<string>,
): {
  shapes: Map<string, Score>;
  dots: Array<Score & { lon: number; lat: number }>;
  within: Score[];
  missing: Score[];
} {
  const shapes = new Map<string, Score>();
  const dots: Array<Score & { lon: number; lat: number }> = [];
  const within: Score[] = [];
  const missing: Score[] = [];
  for (const s of scores) {
    if (SUBNATIONAL[s.country]) {
      within.push(s);
      continue;
    }
    const id = countryNumeric(s.country);
    const at = SMALL_COUNTRIES[s.country];
    if (id && ids.has(id)) shapes.set(id, s);
    else if (at) dots.push({ ...s, lon: at[0], lat: at[1] });
    else missing.push(s);
  }
  return { shapes, dots, within, missing };
}

let patterns = 0;

export function worldMap(world: World, scores: ReadonlyArray<Score>, options: WorldMapOptions): HTMLElement {
  const { features, ids } = countryFeatures(world);
  const { shapes, dots, within, missing } = mapPlacement(scores, ids);
  const value = (f: CountryFeature) => shapes.get(String(f.id))?.pro_score;
  const surveyed = features.filter((f) => value(f) !== undefined);
  const others = features.filter((f) => value(f) === undefined);
  const hatch = `world-map-no-data-${++patterns}`;
  const width = chartWidth(options.width);
  const plot = Plot.plot({
    width,
    height: Math.round(width * 0.52),
    projection: "equal-earth",
    ariaLabel: `World map: ${options.itemName}`,
    ariaDescription:
      `Share of respondents on the pro side of “${options.itemName}” in ${scores.length} surveyed countries: ` +
      [...scores]
        .sort((a, b) => b.pro_score - a.pro_score)
        .map((s) => `${countryName(s.country)} ${s.pro_score.toFixed(2)}`)
        .join(", ") +
      ".",
    color: { type: "linear", domain: [0, 1], ...SHARE_SCHEME, label: "Share pro" },
    marks: [
      Plot.sphere({ stroke: "currentColor", strokeOpacity: 0.3 }),
      // Countries without data: hatched grey, so no colour of the scale can be mistaken for them.
      Plot.geo(others, {
        fill: `url(#${hatch})`,
        stroke: "var(--theme-background)",
        strokeWidth: 0.5,
        title: (f: CountryFeature) => `${String(f.properties.name)}: not in the survey data`,
      }),
      // Surveyed countries on top, outlined so small ones (Denmark, the Netherlands) stand out.
      Plot.geo(surveyed, {
        fill: (f: CountryFeature) => value(f),
        stroke: "currentColor",
        strokeWidth: 0.6,
        title: (f: CountryFeature) => {
          const s = shapes.get(String(f.id))!;
          return `${countryName(s.country)}: ${s.pro_score.toFixed(3)}`;
        },
      }),
      Plot.dot(dots, {
        x: "lon",
        y: "lat",
        r: 4,
        fill: "pro_score",
        stroke: "currentColor",
        strokeWidth: 1,
        title: (s: (typeof dots)[number]) => `${countryName(s.country)}: ${s.pro_score.toFixed(3)}`,
      }),
    ],
  });
  plot.insertAdjacentHTML(
    "afterbegin",
    `<defs><pattern id="${hatch}" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">` +
      `<rect width="5" height="5" style="fill: var(--theme-foreground-faintest)"></rect>` +
      `<line x1="0" y1="0" x2="0" y2="5" stroke="currentColor" stroke-opacity="0.22" stroke-width="1.2"></line></pattern></defs>`,
  );

  const legends = document.createElement("div");
  legends.className = "world-map-legend";
  legends.style.cssText = "display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.25rem 1rem;";
  const ramp = plot.legend("color", { label: "Share pro", width: Math.max(140, Math.min(240, width - 150)), marginLeft: 10, marginRight: 12 });
  if (ramp) {
    labelLegend(
      ramp,
      "Colour legend: share of respondents on the pro side, from 0 (light green) to 1 (blue); countries not in the survey data are hatched grey",
    );
    legends.append(ramp);
  }
  const noData = document.createElement("span");
  noData.className = "world-map-no-data";
  noData.setAttribute("aria-hidden", "true");
  noData.style.cssText = "display: inline-flex; align-items: center; gap: 0.3em; font: 10px system-ui, sans-serif; margin-bottom: 18px;";
  noData.innerHTML = `<svg width="14" height="14"><rect x="0.5" y="0.5" width="13" height="13" fill="url(#${hatch})" stroke="currentColor" stroke-opacity="0.3"></rect></svg>no survey data`;
  legends.append(noData);

  const figure = document.createElement("figure");
  figure.className = "world-map";
  figure.append(legends, plot);
  const notes = [
    ...within.map((s) => `${SUBNATIONAL[s.country]!.name} (within ${countryName(SUBNATIONAL[s.country]!.within)} on the map): ${s.pro_score.toFixed(3)}`),
    ...dots.map((s) => `${countryName(s.country)} (a dot on the map; too small for its shapes): ${s.pro_score.toFixed(3)}`),
    ...missing.map((s) => `${countryName(s.country)} (not on the map): ${s.pro_score.toFixed(3)}`),
  ];
  const small = smallOnMap(features, shapes);
  if (small.length) notes.unshift(`Small on the map: ${small.map((s) => `${countryName(s.country)} ${s.pro_score.toFixed(3)}`).join(", ")}`);
  if (notes.length) {
    const note = document.createElement("figcaption");
    note.textContent = notes.join("; ");
    figure.append(note);
  }
  figure.append(valuesTable(scores));
  return figure;
}

/**
 * Surveyed countries whose shape covers less than SMALL_AREA square degrees (a box around
 * its outline, its width scaled by the cosine of its latitude): Denmark, the Netherlands,
 * Belgium and the like, hard to see on a world map. By name.
 */
function smallOnMap(features: readonly CountryFeature[], shapes: ReadonlyMap<string, Score>): Score[] {
  return features
    .filter((f) => shapes.has(String(f.id)) && boxArea(f) < SMALL_AREA)
    .map((f) => shapes.get(String(f.id))!)
    .sort((a, b) => countryName(a.country).localeCompare(countryName(b.country), "en"));
}

const SMALL_AREA = 20;

function boxArea(f: CountryFeature): number {
  const lons: number[] = [];
  const lats: number[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      lons.push(c[0] as number);
      lats.push(c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk((f as { geometry?: { coordinates?: unknown } }).geometry?.coordinates);
  if (!lons.length) return Infinity;
  const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
  return (Math.max(...lons) - Math.min(...lons)) * Math.cos((lat * Math.PI) / 180) * (Math.max(...lats) - Math.min(...lats));
}

/**
 * The map's values as a table behind a disclosure: the summary takes the keyboard's focus
 * and the table reads in order, so no value is reachable only by pointing at a shape.
 */
function valuesTable(scores: ReadonlyArray<Score>): HTMLDetailsElement {
  const details = document.createElement("details");
  details.className = "world-map-values";
  const summary = document.createElement("summary");
  summary.textContent = `Every country's value on the map (${scores.length}), as a table`;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const h of ["Country", "Share pro"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const s of [...scores].sort((a, b) => b.pro_score - a.pro_score || a.country.localeCompare(b.country))) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = countryName(s.country);
    row.append(th);
    row.insertCell().textContent = s.pro_score.toFixed(3);
  }
  details.append(summary, table);
  return details;
}
