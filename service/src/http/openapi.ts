import { ApiErrorSchema } from "@margin/model";
import type { z } from "zod";

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: { content: { "application/json": { schema } }, required: true, description },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

const err = (description: string) => json(ApiErrorSchema, description);

/** The failures every route can answer with, documented once. */
export const errors = {
  400: err("Invalid input: `details` lists each field path and what is wrong"),
  401: err("Not signed in, or the session expired"),
  403: err("Signed in, but not allowed to do this"),
  404: err("No such thing"),
  409: err("Conflicts with what is stored (or the consultation is closed)"),
  412: err("If-Match names an older revision: fetch the current one first"),
  428: err("Send If-Match with the revision you are changing"),
  413: err("Body too large"),
  415: err("Body is not JSON"),
  429: err("Too many requests: wait for Retry-After seconds"),
} as const;

export const bearer = [{ bearer: [] }];
