/**
 * Output files of the survey commands: folders checked before anything is written, groups of
 * files replaced all together or not at all, and write errors that say what went wrong.
 */
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The cause of a failed write in words, e.g. "no space left on device (ENOSPC)". */
export function writeReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    ENOSPC: "no space left on device",
    EDQUOT: "disk quota exceeded",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "a part of the path is a file, not a folder",
    EISDIR: "a folder of that name is in the way",
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return (error as Error)?.message ?? String(error);
}

/**
 * Checks, without creating anything, that `dir` is or can become a folder: its nearest
 * existing ancestor must be a folder. An error names the option (e.g. --out), the value given and the fix.
 */
export function checkFolder(dir: string, option: string, given: string): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (existsSync(existing) && !statSync(existing).isDirectory()) {
    throw new Error(`${option} ${given}: ${existing} is a file, not a folder; choose another ${option}`);
  }
}

/** Makes sure `dir` is a folder that can be written into, creating it if need be (errors as `checkFolder`'s). */
export function ensureFolder(dir: string, option: string, given: string): void {
  checkFolder(dir, option, given);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new Error(`${option} ${given}: could not make the folder ${dir}: ${writeReason(error)}; choose another ${option}`);
  }
}

/**
 * Replaces files in `dir` all together or not at all: every file is first written beside its
 * target as `*.tmp` (a failure removes them and changes nothing), then renamed into place.
 */
export function replaceFiles(dir: string, files: ReadonlyArray<readonly [name: string, data: Uint8Array | string]>): string[] {
  const targets = files.map(([name]) => join(dir, name));
  const tmps = targets.map((t) => `${t}.${process.pid}.tmp`);
  const unchanged = `nothing in ${dir} was changed`;
  for (const target of targets) {
    if (existsSync(target) && lstatSync(target).isDirectory()) {
      throw new Error(`${target}: could not write it: a folder of that name is in the way; ${unchanged}. Remove or rename that folder.`);
    }
  }
  let i = 0;
  try {
    for (; i < files.length; i++) writeFileSync(tmps[i]!, files[i]![1]);
  } catch (error) {
    for (const tmp of tmps) rmSync(tmp, { force: true });
    throw new Error(`${targets[i]}: could not write it: ${writeReason(error)}; ${unchanged}. Free some space or choose another output folder.`);
  }
  targets.forEach((target, i) => {
    try {
      renameSync(tmps[i]!, target);
    } catch (error) {
      for (const tmp of tmps.slice(i)) rmSync(tmp, { force: true });
      const done = targets.slice(0, i).join(", ") || "none";
      throw new Error(`${target}: could not replace it: ${writeReason(error)}. Already replaced: ${done}; write the output again.`);
    }
  });
  return targets;
}
