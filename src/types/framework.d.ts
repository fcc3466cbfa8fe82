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
    parquet(): Promise<import("../lib/arrow.js").ArrowLike>;
  }
  export function FileAttachment(name: string): FileAttachmentObject;
}
