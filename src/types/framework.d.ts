// Type declarations for the module specifiers Observable Framework resolves in the
// browser, so `tsc` can check components and page modules.

declare module "npm:@observablehq/plot" {
  export * from "@observablehq/plot";
}

declare module "observablehq:stdlib" {
  export interface FileAttachmentObject {
    name: string;
    url(): Promise<string>;
    json(): Promise<unknown>;
    text(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
  }
  export function FileAttachment(name: string): FileAttachmentObject;
}

declare module "npm:apache-arrow" {
  export * from "apache-arrow";
}

declare module "npm:parquet-wasm" {
  export * from "parquet-wasm/esm/parquet_wasm.js";
  export { default } from "parquet-wasm/esm/parquet_wasm.js";
}

declare module "npm:topojson-client" {
  export function feature(
    topology: unknown,
    object: unknown,
  ): { type: "FeatureCollection"; features: Array<{ id?: string | number; properties: Record<string, unknown> }> };
  export function mesh(topology: unknown, object: unknown, filter?: (a: unknown, b: unknown) => boolean): unknown;
}

declare module "npm:@observablehq/inputs" {
  type Input<T> = HTMLElement & { value: T };
  interface Options<T> {
    label?: string;
    value?: T;
    format?: (value: never) => string;
    valueof?: (value: never) => unknown;
    [key: string]: unknown;
  }
  export function checkbox<T>(data: readonly T[], options?: Options<T[]>): Input<T[]>;
  export function radio<T>(data: readonly T[], options?: Options<T>): Input<T>;
  /** With `multiple`, a select holds the list of the values chosen. */
  export function select<T>(data: readonly T[], options: Options<T[]> & { multiple: number | true }): Input<T[]>;
  export function select<T>(data: readonly T[], options?: Options<T>): Input<T>;
  export function range(extent: [number, number], options?: Options<number>): Input<number>;
  export function number(extent?: [number, number], options?: Options<number>): Input<number>;
  export function form<T extends Record<string, unknown>>(inputs: { [K in keyof T]: Input<T[K]> }, options?: Record<string, unknown>): Input<T>;
  export function table(data: readonly unknown[], options?: Record<string, unknown>): Input<unknown[]>;
}
