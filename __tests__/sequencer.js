// Runs the slowest suite (the real Terraform checks) first so it overlaps the others, then the
// rest largest first; jest's default order for a fresh clone (no timing cache) would start it last.
const Sequencer = require("@jest/test-sequencer").default;
const fs = require("fs");

class SlowFirst extends Sequencer {
  sort(tests) {
    const weight = (t) => (t.path.endsWith("terraform.test.ts") ? Number.MAX_SAFE_INTEGER : fs.statSync(t.path).size);
    return [...tests].sort((a, b) => weight(b) - weight(a));
  }
}

module.exports = SlowFirst;
