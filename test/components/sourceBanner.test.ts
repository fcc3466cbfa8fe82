/** The banner at the top of every page: the source, and simulated data flagged loudly, on the page and on every chart. */
import { afterEach, describe, expect, it } from "vitest";
import { installDom } from "../helpers/components.js";

await installDom();
const { sourceBanner } = await import("../../src/components/sourceBanner.js");

const source = (over: object) => ({ source: "paper", label: "the study's release", description: "", publishedRq1: null, publishedUsBias: null, ...over });

afterEach(() => {
  delete document.documentElement.dataset.simulated;
});

describe("the source banner", () => {
  it("names the source and links to its provenance, and marks nothing on real data", () => {
    const banner = sourceBanner(source({}));
    expect(banner.textContent).toBe("Data: the study's release. Provenance");
    expect(banner.getAttribute("role")).toBe("note");
    expect(document.documentElement.dataset.simulated).toBeUndefined();
  });

  it("on simulated data, says that no number is a result, as an alert, and marks the page's charts", () => {
    const banner = sourceBanner(source({ simulated: true, label: "the simulated demo", fallback: "unreachable" }));
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.className).toBe("source-banner simulated");
    expect(banner.textContent).toMatch(/^Simulated data, not research results\. Every number and chart on this page comes from simulated answers/);
    expect(banner.textContent).toContain("The study's release could not be reached");
    expect(document.documentElement.dataset.simulated).toBe("true");
  });
});
