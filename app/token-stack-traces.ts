/**
 * cdktf records a complete stack trace (unlimited depth, formatted and split into lines) for every
 * token it creates, only to quote it if that token later fails to resolve. With thousands of
 * tokens per synth that is a third of the app's run time. This turns the recording off; set
 * DEBUG=1 when running main.js to keep it (main passes that through).
 *
 * It replaces the export of cdktf's private stack-trace module, which cdktf reads at each call.
 * If a cdktf upgrade moves that module, the require throws and the app stops here, loudly.
 */
export function disableTokenStackTraces(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] };
  stackTrace.captureStackTrace = () => [];
}
