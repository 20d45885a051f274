import type {
  Accountability,
  Agency,
  Consultation,
  ConsultationSummary,
  Disposition,
  DraftVersion,
  OfficialResponse,
  Point,
  PublicPerson,
  Session,
  User,
} from "@margin/model";

/** Margin's one error shape, as thrown to the UI. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const SESSION_KEY = "margin.console.session";

/** The sign-in lives in this origin's sessionStorage: gone when the tab closes. */
export const sessionStore = {
  load(storage: Storage = sessionStorage): Session | null {
    try {
      const raw = storage.getItem(SESSION_KEY);
      const s = raw ? (JSON.parse(raw) as Session) : null;
      return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
    } catch {
      return null;
    }
  },
  save(s: Session | null, storage: Storage = sessionStorage) {
    if (s) storage.setItem(SESSION_KEY, JSON.stringify(s));
    else storage.removeItem(SESSION_KEY);
  },
};

export interface ConsultationFields {
  title: string;
  summary: string;
  locale: "zh-Hant" | "en";
  urlPatterns: string[];
  opensAt: string;
  closesAt: string;
  respondBy: string;
  officialIds: string[];
}

/** A typed client over the service's /v1 API on the same origin. */
export function createApi(getToken: () => string | null, fetcher: typeof fetch = fetch) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetcher(`/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const e = data?.error ?? {};
      throw new ApiError(res.status, e.code ?? "error", e.message ?? res.statusText, e.details);
    }
    return data as T;
  }
  const c = (id: string) => `/consultations/${encodeURIComponent(id)}`;
  return {
    login: (email: string, password: string) =>
      call<Session>("POST", "/auth/login", { email, password }),
    logout: () => call<unknown>("POST", "/auth/logout"),
    me: () => call<User>("GET", "/auth/me"),
    agencies: () => call<{ items: Agency[] }>("GET", "/agencies"),
    officials: (agencyId: string) =>
      call<{ items: PublicPerson[] }>("GET", `/agencies/${encodeURIComponent(agencyId)}/officials`),
    consultations: () => call<{ items: Consultation[] }>("GET", "/consultations"),
    consultation: (id: string) => call<Consultation>("GET", c(id)),
    createConsultation: (agencyId: string, f: ConsultationFields) =>
      call<Consultation>("POST", "/consultations", { agencyId, ...f }),
    updateConsultation: (
      id: string,
      patch: Partial<ConsultationFields> & { status?: "draft" | "published" | "concluded" },
    ) => call<Consultation>("PATCH", c(id), patch),
    uploadDraft: (id: string, html: string, note: string) =>
      call<DraftVersion>("POST", `${c(id)}/versions`, { html, note }),
    currentVersion: (id: string) => call<DraftVersion>("GET", `${c(id)}/versions/current`),
    summary: (id: string) => call<ConsultationSummary>("GET", `${c(id)}/summary`),
    points: (id: string) => call<{ items: Point[] }>("GET", `${c(id)}/points`),
    responses: (id: string) => call<{ items: OfficialResponse[] }>("GET", `${c(id)}/responses`),
    accountability: (id: string) => call<Accountability>("GET", `${c(id)}/accountability`),
    respond: (
      id: string,
      input: { pointId: string; text: string; disposition: Disposition; publish: boolean },
    ) =>
      call<OfficialResponse>("POST", `${c(id)}/responses`, {
        target: { type: "cluster", id: input.pointId },
        text: input.text,
        disposition: input.disposition,
        publish: input.publish,
      }),
    publish: (id: string, ids: string[]) =>
      call<{ items: OfficialResponse[] }>("POST", `${c(id)}/responses/publish`, { ids }),
    comments: (id: string, paragraph: string | null) =>
      call<{ items: import("@margin/model").Annotation[] }>(
        "GET",
        `/annotations?consultation=${encodeURIComponent(id)}${paragraph ? `&paragraph=${encodeURIComponent(paragraph)}` : ""}&limit=500`,
      ),
    merge: (id: string, from: string, into: string) =>
      call<{ items: Point[] }>("POST", `${c(id)}/clusters/overrides`, {
        kind: "merge",
        from,
        into,
      }),
    split: (id: string, memberId: string) =>
      call<{ items: Point[] }>("POST", `${c(id)}/clusters/overrides`, { kind: "split", memberId }),
  };
}

export type Api = ReturnType<typeof createApi>;
