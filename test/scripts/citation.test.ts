/** CITATION.cff, the site's citation (src/components/citation.ts) and package.json say the same: version, study, survey. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { STUDY_TEXT, SURVEY_DOI, SURVEY_TEXT } from "../../src/components/citation.js";

interface Reference {
  type: string;
  title: string;
  doi?: string;
  version?: string;
  identifiers?: Array<{ value: string }>;
}
const cff = yaml.load(readFileSync(join(REPO_ROOT, "CITATION.cff"), "utf8")) as {
  "cff-version": string;
  version: string;
  license: string;
  references: Reference[];
};
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string; license: string };

describe("the citation", () => {
  it("gives the software's version and licence as package.json does, and a LICENSE file holds that licence", () => {
    expect(cff["cff-version"]).toBe("1.2.0");
    expect(cff.version).toBe(pkg.version);
    expect(cff.license).toBe(pkg.license);
    expect(readFileSync(join(REPO_ROOT, "LICENSE"), "utf8")).toMatch(new RegExp(`^${pkg.license} License`));
  });

  it("cites the study and the survey as the site does", () => {
    const study = cff.references.find((r) => r.type === "article")!;
    const survey = cff.references.find((r) => r.type === "data")!;
    expect(STUDY_TEXT).toContain(study.title);
    expect(STUDY_TEXT).toContain(study.identifiers![0]!.value);
    expect(survey.doi).toBe(SURVEY_DOI);
    expect(SURVEY_TEXT).toContain(survey.title);
    expect(SURVEY_TEXT).toContain(`Dataset Version ${survey.version}`);
  });
});
