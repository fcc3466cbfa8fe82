/** Where tests find the study's release: MCA_PAPER_DATA, or ../shared/paper-data beside the repository. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT } from "../../loaders/paths.js";

export const PAPER_DATA = resolve(REPO_ROOT, process.env.MCA_PAPER_DATA ?? "../shared/paper-data");

if (!existsSync(PAPER_DATA)) {
  throw new Error(
    `Tests need the study's release as fixtures: ${PAPER_DATA} does not exist. Set MCA_PAPER_DATA to a copy of it (CI uses ../shared/paper-data).`,
  );
}
