/**
 * Checks of the survey file as text, before DuckDB reads it, so that a damaged file gets a
 * message that says what is wrong, where, and how to fix it: a gzip stream cut short, UTF-16
 * or Latin-1 text, a header naming a column twice or holding control characters, and ragged
 * or cut-short rows near the top (DuckDB's own errors cover the rest; see `readError`).
 * Also maps a row of the DuckDB table back to its line in the file, for error messages.
 */
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** How much of the (decompressed) file the text checks read: about DuckDB's sniffing sample. */
const HEAD_BYTES = 1 << 20;
/** Delimiters the reader recognises, in the order they are tried on the header. */
const DELIMITERS = [",", ";", "\t", "|"];
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern is to find control characters in the header
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Whether a file starts with gzip's magic bytes. */
export function isGzip(path: string): boolean {
  const head = Buffer.alloc(2);
  const fd = openSync(path, "r");
  try {
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The file's text stream, decompressed when it is gzipped. */
function textStream(path: string): { source: Readable; text: Readable } {
  const source = createReadStream(path);
  return { source, text: isGzip(path) ? source.pipe(createGunzip()) : source };
}

/** Reads the whole gzip stream: a file cut short or damaged is an error naming it, before any reading. */
async function checkGzip(path: string, name: string): Promise<void> {
  const { source, text } = textStream(path);
  try {
    for await (const _ of text) void _;
  } catch (error) {
    throw new Error(`${name}: the gzip file is damaged or cut short (${(error as Error).message}). Download or compress it again; nothing was written.`);
  } finally {
    source.destroy();
  }
}

/** The first `limit` bytes of the (decompressed) file, and whether that is all of it. */
async function readHead(path: string, limit: number): Promise<{ bytes: Buffer; whole: boolean }> {
  const { source, text } = textStream(path);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of text) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > limit) return { bytes: Buffer.concat(chunks).subarray(0, limit), whole: false };
    }
    return { bytes: Buffer.concat(chunks), whole: true };
  } finally {
    source.destroy();
  }
}

/** Whether a file (gzipped or not) holds nothing but whitespace; reads only up to its first character. */
async function isBlankFile(path: string): Promise<boolean> {
  const { source, text } = textStream(path);
  try {
    for await (const chunk of text) if (/\S/.test(String(chunk))) return false;
    return true;
  } catch {
    return false; // a damaged gzip: checkGzip reports it
  } finally {
    source.destroy();
  }
}

/** The shell command that converts the file to UTF-8. */
function iconv(name: string, from: string): string {
  const out = `${name.replace(/\.gz$/i, "").replace(/\.(csv|txt|tsv)$/i, "")}-utf8.csv`;
  return /\.gz$/i.test(name) ? `zcat ${name} | iconv -f ${from} -t utf-8 > ${out}` : `iconv -f ${from} -t utf-8 ${name} > ${out}`;
}

/** The message for text that is not UTF-8 on a line (Latin-1 or Windows-1252, most likely). */
export function notUtf8(name: string, line: number | undefined, byte?: number): string {
  const shown =
    byte === undefined
      ? ""
      : ` (byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")}${byte >= 0xa0 ? `, "${String.fromCharCode(byte)}" in Latin-1` : ""})`;
  return (
    `${name}: ${line ? `line ${line}` : "a line"} is not UTF-8 text${shown}. Convert the file to UTF-8, e.g. ${iconv(name, "latin1")} ` +
    `(or -f cp1252 for a file saved on Windows), then pass the converted file.`
  );
}

/** The offset of the first byte that is not valid UTF-8, or -1. An incomplete sequence at the cut of a sample is fine. */
function firstInvalidUtf8(b: Uint8Array, whole: boolean): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    if (i + n >= b.length) return whole ? i : -1;
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** UTF-16 (with or without a byte-order mark), a ZIP archive, or text that is not UTF-8: an error with the fix. */
function checkEncoding(name: string, head: Buffer, whole: boolean): void {
  const utf16 = (from: string) =>
    new Error(`${name}: the file is UTF-16 text, not UTF-8. Convert it, e.g. ${iconv(name, from)}, then pass the converted file.`);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) throw utf16("utf-16");
  const probe = head.subarray(0, 4096);
  let zerosEven = 0;
  let zerosOdd = 0;
  for (const [i, b] of probe.entries()) {
    if (b !== 0) continue;
    if (i % 2) zerosOdd++;
    else zerosEven++;
  }
  if (zerosEven + zerosOdd > probe.length / 4) throw utf16(zerosOdd > zerosEven ? "utf-16le" : "utf-16be");
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    throw new Error(
      `${name}: the file is a ZIP archive (a zipped CSV, or an Excel workbook), not CSV text. Unzip it, or export the data as CSV, and pass the CSV.`,
    );
  }
  const bad = firstInvalidUtf8(head, whole);
  if (bad >= 0) throw new Error(notUtf8(name, lineAt(head, bad), head[bad]));
}

/** The 1-based line of a byte offset. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

export interface CsvRecord {
  /** The line the record starts on. */
  line: number;
  /** Fields: delimiters outside quotes, plus one. */
  fields: number;
}

/**
 * Splits text into CSV records, chunk by chunk: a line break inside quotes belongs to the
 * record, and blank lines are skipped as DuckDB's reader skips them. `onRecord` returns true
 * to stop.
 */
export function recordScanner(delimiter: string, onRecord: (record: CsvRecord) => boolean | undefined) {
  const delim = delimiter.charCodeAt(0);
  let quoted = false;
  let line = 1;
  let start = 1;
  let fields = 1;
  let content = false;
  let stopped = false;
  const emit = () => {
    if (content && !stopped) stopped = onRecord({ line: start, fields }) === true;
    content = false;
    fields = 1;
  };
  return {
    push(chunk: string): boolean {
      for (let i = 0; i < chunk.length && !stopped; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 0x0a) {
          line++;
          if (!quoted) {
            emit();
            start = line;
          }
        } else if (c !== 0x0d) {
          content = true;
          if (c === 0x22) quoted = !quoted;
          else if (c === delim && !quoted) fields++;
        }
      }
      return stopped;
    },
    end(): void {
      emit();
    },
  };
}

/** The first record of a text: the header, as a list of names (quotes removed). */
function headerNames(text: string, delimiter: string): string[] {
  const names: string[] = [];
  let quoted = false;
  let name = "";
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      names.push(name);
      name = "";
    } else if ((ch === "\n" || ch === "\r") && !quoted) break;
    else name += ch;
  }
  names.push(name);
  return names.map((n) => n.trim());
}

interface Header {
  delimiter: string;
  fields: number;
  line: number;
}

/**
 * The header: control characters are refused (the names become SQL identifiers), and so are
 * names given twice, even in different case (DuckDB would rename one into a phantom item).
 * Returns null when no recognised delimiter separates the required columns: the reader then
 * reports its one-column error.
 */
function checkHeader(name: string, text: string): Header | null {
  const skipped = /^(\s*\n)*/.exec(text)![0];
  const line = (skipped.match(/\n/g)?.length ?? 0) + 1;
  const first = text.slice(skipped.length).split("\n", 1)[0]!.replace(/\r$/, "");
  const bad = CONTROL.exec(first);
  if (bad) {
    throw new Error(
      `${name}: the header (line ${line}) has a control character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}); the file may be damaged or not text: export it again.`,
    );
  }
  const delimiter = DELIMITERS.find((d) => headerNames(first, d).includes("cntry_AN"));
  if (!delimiter) return null;
  const names = headerNames(first, delimiter);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const j = seen.get(n.toLowerCase());
    if (j === undefined) {
      seen.set(n.toLowerCase(), i);
      return;
    }
    const what = names[j] === n ? `the column ${n} twice` : `the columns ${names[j]} and ${n}, which differ only in case (the reader takes them for one name),`;
    throw new Error(`${name}: the header (line ${line}) names ${what} (columns ${j + 1} and ${i + 1}); rename or remove one, and export the file again.`);
  });
  return { delimiter, fields: names.length, line };
}

/** The message for a row with more or fewer fields than the header. */
export function raggedRow(name: string, line: number, fields: number, expected: number, headerLine = 1): string {
  return (
    `${name}: line ${line} has ${fields} field${fields === 1 ? "" : "s"} where the header (line ${headerLine}) has ${expected}. ` +
    `The file may be cut short (download or export the file again), or that row has a field too many or too few: fix it, or export the file again.`
  );
}

/** Rows of the sample whose number of fields differs from the header's (the last row only when the sample is the whole file). */
function checkFieldCounts(name: string, text: string, whole: boolean, header: Header): void {
  let bad: CsvRecord | null = null;
  let seenHeader = false;
  const scanner = recordScanner(header.delimiter, (r) => {
    if (!seenHeader) {
      seenHeader = true;
      return false;
    }
    if (r.fields === header.fields) return false;
    bad = r;
    return true;
  });
  scanner.push(text);
  if (whole) scanner.end();
  const found = bad as CsvRecord | null;
  if (found) throw new Error(raggedRow(name, found.line, found.fields, header.fields, header.line));
}

/**
 * Checks the survey file before DuckDB reads it: it exists, is not empty, its gzip stream is
 * whole, its text is UTF-8, its header is sound and its first rows have the header's width.
 */
export async function preflight(path: string): Promise<void> {
  const name = basename(path);
  if (!existsSync(path)) throw new Error(`${path}: no such file. Pass the joint EVS/WVS CSV (plain or .gz) with --wvs.`);
  const gzip = statSync(path).size > 0 && isGzip(path);
  if (gzip) await checkGzip(path, name);
  if (statSync(path).size === 0 || (await isBlankFile(path))) {
    const detail = statSync(path).size === 0 ? "" : gzip ? " once decompressed" : " (only blank lines or spaces)";
    throw new Error(
      `${name}: the file is empty${detail}: no header and no respondents. ` +
        `Pass the joint EVS/WVS CSV export (e.g. EVS_WVS_Joint_Csv_v5_0.csv), or download it again if the copy was cut short.`,
    );
  }
  const { bytes, whole } = await readHead(path, HEAD_BYTES);
  checkEncoding(name, bytes, whole);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const header = checkHeader(name, text);
  if (header) checkFieldCounts(name, text, whole, header);
}

/**
 * The line of the file on which data row `row` (0-based, in file order, as DuckDB's rowid)
 * starts; undefined when the file has fewer rows. Reads the file up to that row.
 */
export async function lineOfRow(path: string, row: number): Promise<number | undefined> {
  const { source, text } = textStream(path);
  let index = -2; // the header is row −1
  let found: number | undefined;
  const scanner = recordScanner(",", (r) => {
    index++;
    if (index === row) found = r.line;
    return found !== undefined;
  });
  try {
    text.setEncoding("utf8");
    for await (const chunk of text) if (scanner.push(chunk as string)) return found;
    scanner.end();
    return found;
  } finally {
    source.destroy();
  }
}

/** DuckDB's reader errors (beyond the checked sample) as messages with the line and the fix; null when not one of them. */
export function readError(name: string, message: string): Error | null {
  const line = /CSV Error on Line:\s*(\d+)/i.exec(message)?.[1];
  if (/Invalid unicode/i.test(message)) return new Error(notUtf8(name, line ? Number(line) : undefined));
  const columns = /Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/i.exec(message);
  if (columns && line) return new Error(raggedRow(name, Number(line), Number(columns[2]), Number(columns[1])));
  return null;
}
