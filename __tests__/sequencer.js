// Runs the real Terraform checks first so they overlap the other suites, then the rest largest
// first; jest's default order for a fresh clone (no timing cache) would start them last. The
// type-check runs in the background from global set-up (typecheck-run.ts): its test comes last,
// when the result is there, so that it never holds a worker waiting.
const Sequencer = require("@jest/test-sequencer").default;
const fs = require("fs");

const FIRST = ["terraform.test.ts"];
const LAST = ["typecheck.test.ts"];

class SlowFirst extends Sequencer {
  sort(tests) {
    const weight = (t) => {
      if (FIRST.some((name) => t.path.endsWith(name))) return Number.MAX_SAFE_INTEGER;
      if (LAST.some((name) => t.path.endsWith(name))) return -1;
      return fs.statSync(t.path).size;
    };
    return [...tests].sort((a, b) => weight(b) - weight(a));
  }
}

module.exports = SlowFirst;
