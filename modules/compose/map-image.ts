import type { ImageReference } from "./descriptor";
import type { Report } from "./map-context";

/** The service's `image` and its `command` / `entrypoint` words. */

/** The image reference: this service's own repository with a pinned tag or digest, or a full reference with a registry host. */
export function mapImage(name: string, image: unknown, path: (string | number)[], report: Report): ImageReference | undefined {
  if (typeof image !== "string") {
    report(path, image, "is required: <service>:<tag> for this service's repository, or a full reference with a registry host");
    return undefined;
  }
  const m = /^(?:([^/]+)\/)?([a-z0-9._/-]+?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(image);
  if (!m) {
    report(path, image, "is not a valid image reference");
    return undefined;
  }
  const [, first, , tag, digest] = m;
  if (!tag && !digest) {
    report(path, image, "needs a tag or digest (repositories have immutable tags; `latest` is not a version)");
    return undefined;
  }
  if (tag === "latest") {
    report(path, image, "must not use the tag latest: repositories have immutable tags, give a version");
    return undefined;
  }
  const hasRegistry = first !== undefined && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return { kind: "uri", uri: image };
  const repository = image.replace(/[:@].*$/, "");
  if (repository === name) return { kind: "repository", repository, tag, digest };
  report(path, image, `is ambiguous: write ${name}:<tag> for this service's own repository, or a full reference with a registry host (e.g. docker.io/library/${repository}:${tag ?? "1.0"})`);
  return undefined;
}

/** Splits a shell-like string into words (single and double quotes, backslash escapes). */
export function shellWords(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) out.push(cur);
  return out;
}

/** A Compose `command` or `entrypoint`: a list as it is, a string split into shell words. */
export function words(value: unknown, path: (string | number)[], report: Report): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  const w = shellWords(String(value));
  if (!w) report(path, value, "has an unterminated quote");
  return w;
}
