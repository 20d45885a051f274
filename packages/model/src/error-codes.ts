// Kept apart from the schemas so a client can know the codes without carrying zod.

/** Every failure the API reports has one of these codes; the HTTP status follows from it. */
export const errorCodes = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  revision_mismatch: 412,
  precondition_required: 428,
  payload_too_large: 413,
  unsupported_media_type: 415,
  consultation_closed: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;
