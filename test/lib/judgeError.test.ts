import { describe, expect, it } from "vitest";
import { JUDGE_ERROR_RATE } from "../../src/lib/judgeError.js";
import { DEFAULT_CHOICES } from "../../src/lib/pageRequests.js";
import { DEMO_JUDGES } from "../../loaders/sources/demo.js";

describe("the judge error rate has one value", () => {
  it("the analysis, the pages' default and the demo's primary judge use the same rate", () => {
    expect(JUDGE_ERROR_RATE).toBe(0.045);
    expect(DEFAULT_CHOICES.correction).toBe(JUDGE_ERROR_RATE);
    expect(DEMO_JUDGES["sim-judge"]).toBe(JUDGE_ERROR_RATE);
  });
});
