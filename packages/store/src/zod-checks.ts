import {
  AnnotationInputSchema,
  AnnotationPageSchema,
  AnnotationPatchSchema,
  AnnotationSchema,
  ApiErrorSchema,
  ConsultationSchema,
  LoginInputSchema,
  PullResponseSchema,
  PushAnswerSchema,
  PushRequestSchema,
  RegisterInputSchema,
  SessionSchema,
  UrlPatternListSchema,
  UserSchema,
  VersionChangesSchema,
} from "@margin/model";
import type { z } from "zod";
import type { Check, Shape, Shapes } from "./checks.ts";

const schemas: { [K in Shape]: z.ZodType<Shapes[K], unknown> } = {
  annotationInput: AnnotationInputSchema,
  annotationPatch: AnnotationPatchSchema,
  login: LoginInputSchema,
  register: RegisterInputSchema,
  push: PushRequestSchema as z.ZodType<Shapes["push"], unknown>,
  session: SessionSchema,
  user: UserSchema,
  consultation: ConsultationSchema,
  urlPatterns: UrlPatternListSchema,
  annotation: AnnotationSchema,
  annotationPage: AnnotationPageSchema,
  pushAnswer: PushAnswerSchema,
  pull: PullResponseSchema,
  versionChanges: VersionChangesSchema,
  apiError: ApiErrorSchema,
};

/** Holds what the client stores, sends and receives to the model's schemas (see checks.ts). */
export const zodChecks: Check = (shape, value) => {
  const r = schemas[shape].safeParse(value);
  return r.success
    ? { ok: true, value: r.data }
    : {
        ok: false,
        issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      };
};
