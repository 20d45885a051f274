import type {
  Annotation,
  AnnotationCreate,
  AnnotationPatch,
  ApiError,
  Consultation,
  ErrorIssue,
  PullResponse,
  PushAnswer,
  PushRequest,
  Session,
  UrlPatternList,
  User,
  VersionChanges,
} from "@margin/model";

/** Every shape the client checks, by name: what it sends (inputs) and what the service answers. */
export interface Shapes {
  annotationInput: AnnotationCreate;
  annotationPatch: AnnotationPatch;
  login: { email: string; password: string };
  register: { email: string; password: string; displayName: string };
  push: PushRequest;
  session: Session;
  user: User;
  consultation: Consultation;
  urlPatterns: UrlPatternList;
  annotation: Annotation;
  annotationPage: { items: Annotation[]; next: string | null };
  pushAnswer: PushAnswer;
  pull: PullResponse;
  versionChanges: VersionChanges;
  apiError: ApiError;
}
export type Shape = keyof Shapes;

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ErrorIssue[] };

/**
 * How the client checks a shape. Two ways: `zodChecks` (zod-checks.ts) holds
 * everything to the model's schemas before it is stored or sent, for clients
 * that may talk to another version of the service (the extension);
 * `serviceChecks` below leaves the checking to the service, for the widget's
 * frame, which is served by the very service it talks to and must stay small.
 */
export type Check = <K extends Shape>(shape: K, value: unknown) => Checked<Shapes[K]>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const notAnObject: Checked<never> = {
  ok: false,
  issues: [{ path: "", message: "expected a JSON object" }],
};

/**
 * Only what the client itself relies on: objects where objects are expected,
 * an error body that really is one, and the defaults a new comment gets, so
 * the local copy looks like the one the service will store. A bad value is
 * refused by the service when it is pushed, and the person sees the reason.
 */
export const serviceChecks: Check = (shape, value) => {
  if (!isObject(value)) return notAnObject;
  if (shape === "apiError") {
    const e = value.error;
    if (!isObject(e) || typeof e.code !== "string" || typeof e.message !== "string")
      return notAnObject;
  }
  if (shape === "annotationInput") {
    const withDefaults: Record<string, unknown> = {
      consultationId: null,
      parentId: null,
      motivation: "commenting",
      suggestion: null,
      stance: "neutral",
      ...value,
    };
    if (typeof withDefaults.text === "string") withDefaults.text = withDefaults.text.trim();
    return { ok: true, value: withDefaults as Shapes[typeof shape] };
  }
  return { ok: true, value: value as Shapes[typeof shape] };
};
