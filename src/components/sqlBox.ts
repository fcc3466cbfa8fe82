/**
 * The SQL box: a query against the workspace tables in DuckDB-WASM. DuckDB (about
 * 35 MB of WebAssembly) is created once, on the first run, and every later query runs
 * against that same database (one Web Worker, tables loaded once).
 *
 * A query may come from someone else (a shared `?sql=` link), so the box treats it as
 * untrusted:
 * - a link only fills the box: nothing runs until the reader clicks Run, and the URL's
 *   `sql` is written only once a query has succeeded (so a reload never reruns a failure);
 * - once the tables are in, DuckDB's external access (files, URLs, COPY TO, ATTACH of a
 *   file) and extension loading are turned off and the configuration is locked, so no
 *   query can read another server, send the tables anywhere or turn access back on;
 * - a query stops after `timeoutMs` (30 s), or when the reader clicks Cancel: DuckDB's
 *   cancel first, and if the query is still running a moment later, its worker is
 *   terminated and the database is reopened on the next run.
 */
import * as Arrow from "npm:apache-arrow";
import * as Inputs from "npm:@observablehq/inputs";
import type { ArrowLike } from "../lib/arrow.js";
import { emptyState } from "./emptyState.js";
import { resultDownloads } from "./queryDownload.js";
import { readParam, writeParam } from "./urlState.js";

type Result = ArrowLike & Iterable<unknown>;

/** A DuckDB-WASM connection (AsyncDuckDBConnection), as far as the box uses it. */
export interface ConnectionLike {
  /** Runs a query (any number of statements) in one call the worker does not interrupt. */
  query(sql: string): Promise<Result>;
  /** Runs one statement in steps, so that cancelSent can stop it between steps. */
  send(sql: string): Promise<AsyncIterable<Arrow.RecordBatch>>;
  cancelSent(): Promise<boolean>;
  close(): Promise<void>;
}

/** DuckDB-WASM's AsyncDuckDB: its connections, its files, and its worker's end. */
export interface AsyncDuckDBLike {
  connect(): Promise<ConnectionLike>;
  terminate(): Promise<void>;
  registerFileURL?(name: string, url: string, protocol: number, directIO: boolean): Promise<void>;
  registerFileBuffer?(name: string, buffer: Uint8Array): Promise<void>;
}

/**
 * The page's one DuckDB, shared by the SQL box and Explore's responses list: opened on
 * the first use (its tables set up, then locked down), ended by `discard` (the next
 * `open` starts a new one).
 */
export interface SharedDatabase {
  open(): Promise<AsyncDuckDBLike>;
  discard(db: AsyncDuckDBLike): void;
}

/** Framework's DuckDBClient (the page passes its built-in one); its `_db` is DuckDB-WASM's database. */
export interface DuckDBClientLike {
  of(sources: Record<string, unknown>): Promise<{ readonly _db: AsyncDuckDBLike }>;
}

export interface SqlBoxOptions {
  /** The page's DuckDB (see lockedDatabase), set up and locked down before any query. */
  database: SharedDatabase;
  defaultSql: string;
  /** How long a query may run before it is stopped, in milliseconds (30 s). */
  timeoutMs?: number;
}

export const SQL_TIMEOUT_MS = 30_000;

/** How long a cancelled query has to stop before its worker is terminated. */
export const STOP_GRACE_MS = 2_000;

/**
 * Run once the tables are loaded, before any query of the reader's: no file, URL or
 * extension access, and no way to turn it back on (see DuckDB's "Securing DuckDB").
 */
export const LOCKDOWN = [
  "SET enable_external_access = false",
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
  "SET lock_configuration = true",
] as const;

/** The names of the tables the box loads (those with rows), in the order given. */
export function sqlTableNames(tables: Record<string, ArrowLike>): string[] {
  return Object.entries(tables)
    .filter(([, t]) => t && t.numRows > 0)
    .map(([name]) => name);
}

/**
 * The first two words of each statement in `sql`, in upper case, past comments and
 * quoted text. Only to say plainly that INSTALL and LOAD are off: DuckDB's locked
 * configuration is what refuses them (in DuckDB-WASM, INSTALL itself fetches nothing).
 */
export function statementHeads(sql: string): string[] {
  const heads: string[] = [];
  let words: string[] = [];
  let leading = true; // still in the statement's leading words
  const finish = () => {
    if (words.length) heads.push(words.join(" "));
    words = [];
    leading = true;
  };
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") {
      const next = sql.indexOf("\n", i);
      i = next < 0 ? sql.length : next + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const next = sql.indexOf("*/", i + 2);
      i = next < 0 ? sql.length : next + 2;
    } else if (c === ";") {
      finish();
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      if (leading && words.length < 2) words.push(sql.slice(i, j).toUpperCase());
      i = j;
    } else if (c === "'" || c === '"') {
      // A quoted string or name; a doubled quote inside it is the quote itself.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      i = j + 1;
      leading = false;
    } else {
      if (!/\s/.test(c)) leading = false;
      i++;
    }
  }
  finish();
  return heads;
}

/** Why the box will not send `sql` to DuckDB, or null. */
export function refusal(sql: string): string | null {
  const head = statementHeads(sql).find((h) => /^(INSTALL|LOAD|FORCE INSTALL)\b/.test(h));
  if (!head) return null;
  return `${head.includes("INSTALL") ? "INSTALL" : "LOAD"} is turned off here: the box reads the workspace tables only, with no network, file or extension access.`;
}

/** Turns DuckDB's external access and extension loading off and locks its configuration. */
export async function lockDown(connection: ConnectionLike): Promise<void> {
  for (const statement of LOCKDOWN) await connection.query(statement);
  await checkLocked(connection);
}

/** Throws unless external access and extension autoloading are off and the configuration locked. */
export async function checkLocked(connection: ConnectionLike): Promise<void> {
  const row = [
    ...(await connection.query(
      "SELECT current_setting('enable_external_access') AS external, current_setting('autoload_known_extensions') AS autoload, current_setting('lock_configuration') AS locked",
    )),
  ][0] as { external?: unknown; autoload?: unknown; locked?: unknown } | undefined;
  if (row?.external !== false || row.autoload !== false || row.locked !== true) throw new Error("the settings did not take");
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A SharedDatabase: `create` starts DuckDB, `setup` makes its tables (attaching files while
 * external access is still on), then the lockdown; a database whose setup or lockdown fails
 * is ended and runs nothing, and the next `open` tries again.
 */
export function lockedDatabase(
  create: () => Promise<AsyncDuckDBLike>,
  setup: (db: AsyncDuckDBLike, connection: ConnectionLike) => Promise<void>,
): SharedDatabase {
  let current: Promise<AsyncDuckDBLike> | null = null;
  let opened: AsyncDuckDBLike | null = null;
  async function start(): Promise<AsyncDuckDBLike> {
    const db = await create();
    const connection = await db.connect();
    try {
      await setup(db, connection);
    } catch (error) {
      await db.terminate();
      throw new Error(`DuckDB could not open the workspace tables (${message(error)}). Reload the page to try again.`);
    }
    try {
      await lockDown(connection);
    } catch (error) {
      await db.terminate();
      throw new Error(`DuckDB could not be locked down, so it runs nothing (${message(error)}).`);
    }
    await connection.close();
    opened = db;
    return db;
  }
  return {
    open() {
      current ??= start();
      const opening = current;
      opening.catch(() => {
        if (current === opening) current = null;
      });
      return opening;
    },
    discard(db) {
      void db.terminate();
      if (opened === db) [opened, current] = [null, null];
    },
  };
}

type Stop = "cancelled" | "timeout";

interface Opened {
  db: AsyncDuckDBLike;
  connection: ConnectionLike;
  terminated: boolean;
}

const SINGLE_STATEMENT = /PendingQuery can only take a single statement/;

/**
 * Runs `sql` on `connection`: one statement through send(), which DuckDB's cancel can
 * stop; several (which send() refuses) through query(), which only terminating the
 * worker stops. Stops reading the result once `stopped()`.
 */
async function execute(connection: ConnectionLike, sql: string, stopped: () => boolean): Promise<Result> {
  let reader: AsyncIterable<Arrow.RecordBatch>;
  try {
    reader = await connection.send(sql);
  } catch (error) {
    if (!SINGLE_STATEMENT.test(error instanceof Error ? error.message : String(error)) || stopped()) throw error;
    return connection.query(sql);
  }
  const batches: Arrow.RecordBatch[] = [];
  for await (const batch of reader) {
    if (stopped()) throw new Error("stopped");
    batches.push(batch);
  }
  return new Arrow.Table(batches) as unknown as Result;
}

/** A result as the box shows it: a note when several statements ran (DuckDB returns the first one's result), the table, and its downloads. */
function resultView(data: Result, statements: number): HTMLElement {
  const view = document.createElement("div");
  if (statements > 1) {
    const note = document.createElement("p");
    note.className = "fit-stats sql-statements";
    note.textContent = `The box ran ${statements} statements; DuckDB returns the result of the first one only, shown here. Run the others on their own to see theirs.`;
    view.append(note);
  }
  const downloads = document.createElement("p");
  downloads.className = "fit-stats sql-download";
  downloads.append("Download this result: ", resultDownloads(data as unknown as { batches: Arrow.RecordBatch[] }, "query-result"));
  view.append(Inputs.table(data as unknown as unknown[], { rows: 12, select: false }), downloads);
  return view;
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

export function sqlBox({ database: shared, defaultSql, timeoutMs = SQL_TIMEOUT_MS }: SqlBoxOptions): HTMLElement {
  let database: Promise<Opened> | null = null;
  let latest: Opened | null = null;
  let stopActive: ((reason: Stop) => void) | null = null;

  const root = document.createElement("div");
  root.className = "sql-box";
  const label = document.createElement("label");
  label.textContent = "SQL";
  label.style.display = "block";
  const textarea = document.createElement("textarea");
  textarea.rows = 5;
  textarea.spellcheck = false;
  textarea.style.cssText = "width: 100%; box-sizing: border-box; font-family: var(--monospace, monospace); font-size: 0.85rem;";
  const linked = readParam("sql");
  textarea.value = linked ?? defaultSql;
  label.append(textarea);
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Load DuckDB and run this query";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = "Cancel";
  cancel.disabled = true;
  cancel.style.marginLeft = "0.5rem";
  const status = document.createElement("span");
  status.className = "fit-stats sql-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.style.marginLeft = "0.75rem";
  status.textContent =
    linked !== null && linked !== defaultSql
      ? "This query came with the link you opened: read it, then click the button to run it. Nothing runs until you do."
      : "DuckDB (about 35 MB of WebAssembly) loads in your browser when you run a query.";
  const bar = document.createElement("div");
  bar.append(button, cancel, status);
  const note = document.createElement("p");
  note.className = "fit-stats sql-note";
  note.textContent = `Queries read the workspace tables only (no files, network or extensions) and stop after ${seconds(timeoutMs)}; Cancel stops one sooner.`;
  const output = document.createElement("div");
  output.className = "sql-output";
  root.append(label, bar, note, output);

  function busy(on: boolean): void {
    button.disabled = on;
    cancel.disabled = !on;
    if (on) root.setAttribute("aria-busy", "true");
    else root.removeAttribute("aria-busy");
    output.style.opacity = on ? "0.5" : "";
  }

  /** The page's DuckDB (set up and locked down by `shared`), and a connection of the box's own, checked to be locked. */
  async function open(): Promise<Opened> {
    const db = await shared.open();
    const connection = await db.connect();
    try {
      await checkLocked(connection);
    } catch (error) {
      shared.discard(db);
      throw new Error(`DuckDB is not locked down, so the box runs nothing (${message(error)}).`);
    }
    latest = { db, connection, terminated: false };
    return latest;
  }

  /** Ends a database's worker; the next run opens a new one. */
  function discard(opened: Opened): void {
    opened.terminated = true;
    shared.discard(opened.db);
    if (latest === opened) {
      latest = null;
      database = null;
    }
  }

  /** Stops a running query: DuckDB's cancel, then, if it has not stopped within the grace, its worker. */
  async function halt(opened: Opened, work: Promise<unknown>): Promise<void> {
    if (opened.terminated) return;
    void opened.connection.cancelSent().catch(() => false);
    const grace = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS));
    const settled = await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      grace,
    ]);
    if (!settled) discard(opened);
  }

  async function run(): Promise<void> {
    if (stopActive) return;
    const sql = textarea.value;
    const stop: { reason: Stop | null; signal: () => void } = { reason: null, signal: () => {} };
    const stopped = new Promise<never>((_, reject) => (stop.signal = () => reject(new Error("stopped"))));
    stopped.catch(() => {});
    stopActive = (reason) => {
      if (stop.reason) return;
      stop.reason = reason;
      status.textContent = "Stopping…";
      stop.signal();
    };
    busy(true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running: { opened: Opened; work: Promise<Result> } | null = null;
    try {
      const refused = refusal(sql);
      if (refused) throw new Error(refused);
      const t0 = performance.now();
      status.textContent = latest ? "Running…" : "Loading DuckDB and the tables… (once per visit)";
      database ??= open();
      const opening = database;
      opening.catch(() => {
        // A failed start is forgotten, so the next run tries again.
        if (database === opening) database = null;
      });
      const opened = await Promise.race([opening, stopped]);
      button.textContent = "Run";
      status.textContent = `Running… (stops after ${seconds(timeoutMs)})`;
      if (stop.reason) throw new Error("stopped");
      const t1 = performance.now();
      timer = setTimeout(() => stopActive?.("timeout"), timeoutMs);
      const work = execute(opened.connection, sql, () => stop.reason !== null);
      running = { opened, work };
      const data = await Promise.race([work, stopped]);
      // Only a query that ran is written to the URL (the default is left out, to keep links short).
      writeParam("sql", sql === defaultSql ? null : sql);
      output.replaceChildren(resultView(data, statementHeads(sql).length));
      status.textContent = `${data.numRows.toLocaleString("en")} row${data.numRows === 1 ? "" : "s"} in ${((performance.now() - t1) / 1000).toFixed(2)} s${t1 - t0 > 50 ? ` (DuckDB loaded in ${((t1 - t0) / 1000).toFixed(1)} s)` : ""}.`;
    } catch (error) {
      if (stop.reason) {
        if (running) await halt(running.opened, running.work);
        const message = stop.reason === "timeout" ? `Stopped after ${seconds(timeoutMs)}: the query ran too long.` : "Cancelled.";
        output.replaceChildren(emptyState(stop.reason === "timeout" ? `${message} Try a smaller query, or one with a LIMIT.` : "The query was cancelled."));
        status.textContent = message;
      } else {
        output.replaceChildren(emptyState(`The query failed: ${error instanceof Error ? error.message : String(error)}`));
        status.textContent = "";
      }
    } finally {
      clearTimeout(timer);
      stopActive = null;
      busy(false);
    }
  }

  button.addEventListener("click", () => void run());
  cancel.addEventListener("click", () => stopActive?.("cancelled"));
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      if (!button.disabled) void run();
    }
  });
  // A link with a query only fills the box: the reader runs it (see above).
  return root;
}
