// Writes src/lib/countries.ts from Debian's iso-codes package
// (/usr/share/iso-codes/json/iso_3166-1.json): ISO 3166-1 alpha-2 code → numeric
// code (the ids of the world-atlas topology) and common name.
// Run: node scripts/generate-countries.mjs   (needs `apt-get install iso-codes`)
import { readFileSync, writeFileSync } from "node:fs";

const source = "/usr/share/iso-codes/json/iso_3166-1.json";
const rows = JSON.parse(readFileSync(source, "utf8"))
  ["3166-1"].map((c) => [c.alpha_2, c.numeric, c.common_name ?? c.name])
  .sort((a, b) => a[0].localeCompare(b[0]));
const body = rows.map(([a, n, name]) => `  ["${a}", "${n}", ${JSON.stringify(name)}],`).join("\n");
writeFileSync(
  new URL("../src/lib/countries.ts", import.meta.url),
  `/**
 * ISO 3166-1 countries: alpha-2 code (the survey's country codes), numeric code (the
 * ids of the world-atlas topology) and common name. Generated from Debian's iso-codes
 * by scripts/generate-countries.mjs; do not edit by hand.
 */

const TABLE: ReadonlyArray<readonly [alpha2: string, numeric: string, name: string]> = [
${body}
];

/** Survey codes that are not ISO 3166-1 countries, with the country whose shape holds them. */
export const SUBNATIONAL: Readonly<Record<string, { name: string; within: string }>> = {
  NIR: { name: "Northern Ireland", within: "GB" },
};

const BY_ALPHA2 = new Map(TABLE.map(([a, n, name]) => [a, { numeric: n, name }]));

/** Name of a survey country code (the code itself when unknown). */
export function countryName(code: string): string {
  return SUBNATIONAL[code]?.name ?? BY_ALPHA2.get(code)?.name ?? code;
}

/** The world-atlas id (ISO 3166-1 numeric) of a survey country code, if it has its own shape. */
export function countryNumeric(code: string): string | undefined {
  return SUBNATIONAL[code] ? undefined : BY_ALPHA2.get(code)?.numeric;
}
`,
);
console.log(`wrote ${rows.length} countries`);
