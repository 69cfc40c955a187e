import * as fs from "fs";
import * as path from "path";

/**
 * The project root: the nearest directory at or above `start` holding cdktf.json. The default
 * start is this file's directory, so it works from the sources (`lib/`) and from the transpiled
 * copy (`dist/lib/`) alike.
 */
export function projectRoot(start: string = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, "cdktf.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cdktf.json not found above ${start}`);
    dir = up;
  }
  return dir;
}
