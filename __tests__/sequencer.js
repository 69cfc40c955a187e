// Runs the slowest suites first so they overlap the others: the real Terraform checks, then the
// type-check (npm run typecheck); then the rest largest first. jest's default order for a fresh
// clone (no timing cache) would start them last.
const Sequencer = require("@jest/test-sequencer").default;
const fs = require("fs");

const FIRST = ["terraform.test.ts", "typecheck.test.ts"];

class SlowFirst extends Sequencer {
  sort(tests) {
    const weight = (t) => {
      const first = FIRST.findIndex((name) => t.path.endsWith(name));
      return first >= 0 ? Number.MAX_SAFE_INTEGER - first : fs.statSync(t.path).size;
    };
    return [...tests].sort((a, b) => weight(b) - weight(a));
  }
}

module.exports = SlowFirst;
