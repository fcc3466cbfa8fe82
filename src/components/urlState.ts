/**
 * Two-way permalinks: a control's value lives in the page's URL query. Opening a URL
 * restores every control from it; changing a control rewrites the URL (with
 * history.replaceState, so the back button is not flooded). Values equal to the
 * control's default are left out, to keep links short.
 */

export interface Codec<T> {
  parse(text: string): T | undefined;
  format(value: T): string;
}

export const text: Codec<string> = { parse: (t) => t, format: (v) => v };
export const integer: Codec<number> = {
  parse: (t) => (/^-?\d+$/.test(t) ? Number(t) : undefined),
  format: (v) => String(v),
};
export const list: Codec<string[]> = {
  parse: (t) => (t === "" ? [] : t.split(",")),
  format: (v) => v.join(","),
};

/** A checkbox's or toggle's value: "1" or "0". */
export const flag: Codec<boolean> = {
  parse: (t) => (t === "1" ? true : t === "0" ? false : undefined),
  format: (v) => (v ? "1" : "0"),
};

/** A list codec that keeps only known values (unknown ones in a URL are ignored). */
export function listOf(allowed: readonly string[]): Codec<string[]> {
  return { parse: (t) => list.parse(t)?.filter((v) => allowed.includes(v)), format: list.format };
}

/** A text codec that accepts only known values. */
export function oneOf(allowed: readonly string[]): Codec<string> {
  return { parse: (t) => (allowed.includes(t) ? t : undefined), format: (v) => v };
}

export type Control<T> = HTMLElement & { value: T };

/** The raw value of `name` in the page's URL query, or null. */
export function readParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** Sets `name` in the page's URL query (null deletes it), without a new history entry. */
export function writeParam(name: string, formatted: string | null): void {
  const params = new URLSearchParams(location.search);
  if (formatted === null) params.delete(name);
  else params.set(name, formatted);
  const query = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
}

/** Reads `name` from the URL into the control now, and writes the control's value back on input. */
export function urlParam<T>(input: Control<T>, name: string, codec: Codec<T>): Control<T> {
  const fallback = codec.format(input.value);
  const given = readParam(name);
  if (given !== null) {
    const value = codec.parse(given);
    if (value !== undefined) input.value = value;
  }
  input.addEventListener("input", () => {
    const formatted = codec.format(input.value);
    writeParam(name, formatted === fallback ? null : formatted);
  });
  return input;
}

/**
 * A link to another page that carries control values along (for pages with the same
 * controls). Values equal to their default (lists: empty) are left out, as urlParam leaves them out.
 */
export function linkWith(path: string, values: Record<string, string | number | readonly string[]>, defaults: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    const formatted = typeof value === "object" ? list.format([...value]) : String(value);
    if (formatted !== String(defaults[name] ?? "")) params.set(name, formatted);
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}
