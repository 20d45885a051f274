import * as z from "zod";

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

export const ErrorCodeSchema = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]);

export const ErrorIssueSchema = z.object({
  path: z.string().describe("Where the problem is, e.g. body.target.selector.0.exact"),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      details: z.array(ErrorIssueSchema).optional(),
      current: z
        .unknown()
        .optional()
        .describe(
          "On 409/412 for an annotation: the stored copy, so the person sees both versions",
        ),
    }),
  })
  .meta({ id: "Error" });
export type ApiError = z.infer<typeof ApiErrorSchema>;
