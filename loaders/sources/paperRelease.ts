/**
 * The reference study's published release, pinned to one commit of its repository
 * (jhrystrom/multicultural-alignment, MIT licence). Files are downloaded from
 * GitHub's raw file host, verified against the SHA-256 checksums below and cached
 * under .cache/paper-release/<commit>/, or read from a local folder given by
 * MCA_PAPER_DATA (absolute, or relative to the repository root). A missing file or
 * a checksum mismatch in that folder is an error, never a fallback.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DOWNLOAD_CACHE, fromRepoRoot } from "../paths.js";

export const PAPER_REPO = "jhrystrom/multicultural-alignment";
export const PAPER_COMMIT = "f550348462acb84dbc26c05fbb6bd1bdb44ae24b";
export const PAPER_BASE_URL = `https://raw.githubusercontent.com/${PAPER_REPO}/${PAPER_COMMIT}/`;
export const PAPER_DATA_ENV = "MCA_PAPER_DATA";

export interface ReleaseFile {
  /** Name in a local copy of the release (and in our cache). */
  name: string;
  /** Path in the upstream repository. */
  upstream: string;
  sha256: string;
}

/** The release files the paper source reads, with their checksums at the pinned commit. */
export const RELEASE_FILES: readonly ReleaseFile[] = [
  {
    name: "latest_results_with_baseline.csv",
    upstream: "output/latest_results_with_baseline.csv",
    sha256: "013e5dd8e167fa865f00a1dfcb1b4c1e297f850b00c6d593b58b9dc21794524d",
  },
  {
    name: "ground_truth_every_country.csv",
    upstream: "output/ground_truth_every_country.csv",
    sha256: "642e9ecd51c67dfba664b7c03d8341d1e414f060d934fc5d0bc3c78d84be7e1d",
  },
  {
    name: "ground_truth_per_language.csv",
    upstream: "output/ground_truth_per_language.csv",
    sha256: "73210b69fda3d751bec7ed1511bd20b9b7126bde8c13752f94e4c9a0c0f073ae",
  },
  {
    name: "ground_truth_global.csv",
    upstream: "output/ground_truth_global.csv",
    sha256: "22263c4d6c6ea29fbd5975e78ae1ad34be18caa7b38d3dc3e2ef215137a92aca",
  },
  {
    name: "gt_self_consistency.csv",
    upstream: "output/gt_self_consistency.csv",
    sha256: "7468af2ca211c4c7eef0dc895162b6fc83607ee60ee236e10674d33ee0e91f39",
  },
  {
    name: "country_languages.csv",
    upstream: "output/country_languages.csv",
    sha256: "cd8fd2eac25177287328d977aaea219caaa02994644fc6ae0ddc1884b28fba0d",
  },
  {
    name: "multilingual_benchmarks.csv",
    upstream: "output/multilingual_benchmarks.csv",
    sha256: "1ab095ecab0568a057740b74462a777d151a7ad8f8be77f0aa80abcf924ddf3a",
  },
  {
    name: "stance_labels.json",
    upstream: "output/stance_labels.json",
    sha256: "b0b4fedebdbc2100f00152ec08168ba9ffb8f6e7aeaf0c50b940caa28e1dc5c3",
  },
  {
    name: "translated_prompts_with_english_no_controversy.csv",
    upstream: "output/translated_prompts_with_english_no_controversy.csv",
    sha256: "f0e3d513f54c19ef9a715221d1ecdc832871a08d44e005131d3be6b6f180f5ee",
  },
  {
    name: "demographic-gemma-results.csv",
    upstream: "output/demographic-gemma-results.csv",
    sha256: "d9230fb9ba5a581d2e55d56b35e6af2d06e93373043394e863bbb31064e14a9b",
  },
  {
    name: "published/rq1_mixedlm_interaction.txt",
    upstream: "supplementary/regressions/multilingual_regression_results_interaction.txt",
    sha256: "d832fadd289ac94a21e45f0136b33d8c2eb93abd63edc107ff61c2635f76b2e9",
  },
  {
    name: "published/us_bias_ols_normal.txt",
    upstream: "supplementary/regressions/us_centric_bias_regression_results_normal.txt",
    sha256: "dec5b585183f584f7a53e4e492426f7e307be197d84f4fce4929a3bdc9752cd0",
  },
];

export interface ResolvedRelease {
  /** Local path of each release file, by name. */
  paths: Map<string, string>;
  /** Where the files came from: a local folder, the download cache, or a fresh download. */
  origin: "local" | "cache" | "download";
  /** The folder the files were read from. */
  folder: string;
  /** The folder as the user gave it (MCA_PAPER_DATA), for provenance without local absolute paths. */
  given?: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function verify(file: ReleaseFile, bytes: Uint8Array, where: string): void {
  const got = sha256(bytes);
  if (got !== file.sha256) {
    throw new Error(
      `${where}: checksum mismatch for ${file.name} (expected sha256 ${file.sha256}, got ${got}). ` +
        `The file is not the study's release at commit ${PAPER_COMMIT.slice(0, 7)}; replace it with the original.`,
    );
  }
}

/** Reads and verifies the release from a local folder (MCA_PAPER_DATA). */
export function localRelease(dir: string): ResolvedRelease {
  const folder = fromRepoRoot(dir);
  if (!existsSync(folder)) {
    throw new Error(`${PAPER_DATA_ENV}=${dir}: the folder ${folder} does not exist. Point ${PAPER_DATA_ENV} at a copy of the study's release.`);
  }
  const missing = RELEASE_FILES.filter((f) => !existsSync(join(folder, f.name)));
  if (missing.length) {
    throw new Error(
      `${PAPER_DATA_ENV}=${dir}: the folder ${folder} is missing ${missing.map((f) => f.name).join(", ")}. ` +
        `It must hold the study's release files (see docs/data-sources.md).`,
    );
  }
  const paths = new Map<string, string>();
  for (const f of RELEASE_FILES) {
    const path = join(folder, f.name);
    verify(f, readFileSync(path), `${PAPER_DATA_ENV}=${dir}`);
    paths.set(f.name, path);
  }
  return { paths, origin: "local", folder, given: dir };
}

export type Fetcher = (url: string) => Promise<Uint8Array>;

const defaultFetcher: Fetcher = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
};

/**
 * Returns the release from the download cache, downloading and verifying any file
 * that is missing there. Writes are atomic, so an interrupted download never leaves
 * a partial file behind.
 */
export async function downloadedRelease(options: { cacheDir?: string; fetcher?: Fetcher } = {}): Promise<ResolvedRelease> {
  const folder = join(options.cacheDir ?? DOWNLOAD_CACHE, PAPER_COMMIT);
  const fetcher = options.fetcher ?? defaultFetcher;
  const paths = new Map<string, string>();
  let downloaded = false;
  for (const f of RELEASE_FILES) {
    const path = join(folder, f.name);
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      if (sha256(bytes) === f.sha256) {
        paths.set(f.name, path);
        continue;
      }
    }
    const url = PAPER_BASE_URL + f.upstream;
    let bytes: Uint8Array;
    try {
      bytes = await fetcher(url);
    } catch (error) {
      throw new Error(
        `Could not download the study's release file ${f.name} from ${url} ` +
          `(${(error as Error).message}). Without network access, set ${PAPER_DATA_ENV} to a local copy of the ` +
          `release (for example ${PAPER_DATA_ENV}=../shared/paper-data), or choose another source (MCA_SOURCE for the site, --source for mca reproduce).`,
      );
    }
    verify(f, bytes, url);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    paths.set(f.name, path);
    downloaded = true;
  }
  return { paths, origin: downloaded ? "download" : "cache", folder };
}

/** The release from MCA_PAPER_DATA when set, else from the cache or a download. */
export async function resolveRelease(env: NodeJS.ProcessEnv = process.env, fetcher?: Fetcher): Promise<ResolvedRelease> {
  const dir = env[PAPER_DATA_ENV];
  if (dir !== undefined && dir.trim() !== "") return localRelease(dir);
  // MCA_RELEASE_CACHE moves the download cache (tests use a temporary one).
  const cacheDir = env.MCA_RELEASE_CACHE ? fromRepoRoot(env.MCA_RELEASE_CACHE) : undefined;
  return downloadedRelease({ ...(fetcher ? { fetcher } : {}), ...(cacheDir ? { cacheDir } : {}) });
}
