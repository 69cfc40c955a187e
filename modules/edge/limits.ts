/** Limits and formats the edge's config validation and its constructs share. */

/** A lowercase DNS name of two or more labels (RFC 1123 labels, 1-63 characters each, at most 253 in all). */
export const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** WAF's smallest rate-based rule limit (requests per evaluation window). */
export const WAF_MIN_RATE_LIMIT = 10;

/** Evaluation windows a WAF rate-based rule accepts, in seconds (60 is the smallest). */
export const WAF_RATE_WINDOWS = [60, 120, 300, 600] as const;
