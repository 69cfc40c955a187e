import * as fs from "fs";
import * as path from "path";
import { AllocationRecord, AllocationStore, EMPTY_RECORD, assertExtends, formatRecord, parseRecord } from "./listener-rules";

/**
 * The allocation record in a committed JSON file (`environments/edge-routes/<env>.json`). Synthesis
 * extends it when routes are added and never changes an existing entry; commit it with the change
 * that added the routes (CI: `npm run synth && git diff --exit-code environments/edge-routes`).
 * A read-only store (`writable: false`: syntheses outside the project, such as tests) extends the
 * record in memory only.
 */
export class FileAllocationStore implements AllocationStore {
  private loaded: AllocationRecord | undefined;

  /**
   * @param file absolute path of the record file
   * @param displayName how messages name it
   * @param writable write extensions to the file (else keep them in memory)
   */
  constructor(
    private readonly file: string,
    private readonly displayName: string = file,
    private readonly writable: boolean = true,
  ) {}

  load(): AllocationRecord {
    if (!this.loaded) this.loaded = fs.existsSync(this.file) ? parseRecord(fs.readFileSync(this.file, "utf8"), this.displayName) : EMPTY_RECORD;
    return this.loaded;
  }

  save(record: AllocationRecord): void {
    assertExtends(this.load(), record, this.displayName);
    this.loaded = record;
    if (!this.writable) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, formatRecord(record));
    fs.renameSync(tmp, this.file);
  }
}
