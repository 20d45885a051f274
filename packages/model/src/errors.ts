import * as z from "zod";

import { type ErrorCode, errorCodes } from "./error-codes.ts";

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
