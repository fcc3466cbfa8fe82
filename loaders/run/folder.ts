/**
 * The run folder: checked before the plan (a file where the folder should be, a folder
 * that cannot be written), and locked while a run writes into it, so two `mca run` on the
 * same folder neither send the same requests twice nor each check the budget alone. The
 * lock file says who holds it (process id, host, start time); the lock of a run that died
 * on this host is taken over with a warning.
 */
import { accessSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";

export const LOCK_FILE = ".lock";

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Checks, without writing anything, that `path` is (or can become) a folder this process
 * may write in: its nearest existing ancestor must be a writable folder. `field` names the
 * config field in the message (out, cacheDir).
 */
export function checkWritableFolder(path: string, field: string): void {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  if (!statSync(at).isDirectory()) throw new Error(`${field}: ${at} is a file, not a folder; set ${field} to a folder (or move the file away)`);
  try {
    accessSync(at, constants.W_OK);
  } catch (error) {
    throw new Error(
      `${field}: cannot write in ${at} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); make it writable, or set ${field} to another folder`,
    );
  }
}

/** Whether a process of this host is running (one owned by another user counts as running). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    return Number.isInteger(h.pid) && typeof h.host === "string" ? { pid: h.pid!, host: h.host, startedAt: String(h.startedAt ?? "an unknown time") } : null;
  } catch {
    return null; // being written at this moment, or damaged
  }
}

function tryCreate(path: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`out: cannot create the lock file ${path} (${(error as Error).message}); make the folder writable, or set out to another folder`);
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Locks the run folder (creating it) for this process; returns the function that
 * releases it. Throws when another live run holds it, naming that run and the fix.
 */
export function lockRunFolder(dir: string, log: (line: string) => void): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  if (!tryCreate(path, me)) {
    const holder = readHolder(path);
    if (!holder || holder.host !== me.host || alive(holder.pid)) throw lockedError(dir, path, holder);
    log(`lock: ${path} was held by pid ${holder.pid} on ${holder.host} (started ${holder.startedAt}), which is no longer running; taking it over`);
    rmSync(path, { force: true });
    if (!tryCreate(path, me)) throw lockedError(dir, path, readHolder(path));
  }
  return () => {
    const holder = readHolder(path);
    if (holder && holder.pid === me.pid && holder.host === me.host && holder.startedAt === me.startedAt) rmSync(path, { force: true });
  };
}

function lockedError(dir: string, path: string, holder: LockHolder | null): Error {
  const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}` : "its lock file cannot be read";
  return new Error(
    `${dir} is in use by another mca run (${who}; lock file ${path}). Wait for that run to finish, or give this run another out. ` +
      `If no run is using the folder, remove ${path} and run again.`,
  );
}
