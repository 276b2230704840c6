import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes what needs quoting and leaves numbers alone", () => {
    expect(toCsv(["model", "cost"], [["a,b", 0.5], ['say "hi"', -1], [null, 2]])).toBe('model,cost\r\n"a,b",0.5\r\n"say ""hi""",-1\r\n,2\r\n');
  });
  it("defuses spreadsheet formulas in text cells", () => {
    expect(toCsv(["x"], [["=SUM(A1)"]])).toBe("x\r\n'=SUM(A1)\r\n");
  });
});
