/**
 * Test helpers (not exported from the package): deterministic ids, a manual
 * scheduler, and an in-memory fake of the service's sync contract.
 */
import type { Annotation, AnnotationCreate, Mutation, PushResult } from "@margin/model";
import { type RandomBytes, uuidv7 } from "./ids.ts";
import type { Scheduler } from "./scheduler.ts";

export function counterBytes(): RandomBytes {
  let n = 0;
  return (len) => {
    n++;
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = (n >> ((i % 4) * 8)) & 0xff;
    return b;
  };
}

/** Ids that are valid UUIDv7 and strictly increasing. */
export function testIds(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  const bytes = counterBytes();
  return () => uuidv7(t++, bytes);
}

export interface ManualScheduler extends Scheduler {
  pending(): Array<{ ms: number; id: number }>;
  /** Runs the timers due first (lowest ms), returns the delay they waited. */
  runNext(): number | null;
  /** Runs every timer that asked for exactly `ms`. */
  delays: number[];
}

export function manualScheduler(): ManualScheduler {
  let nextId = 1;
  const timers = new Map<number, { fn: () => void; ms: number }>();
  const delays: number[] = [];
  return {
    delays,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { fn, ms });
      delays.push(ms);
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    pending() {
      return [...timers].map(([id, t]) => ({ id, ms: t.ms }));
    },
    runNext() {
      let best: [number, { fn: () => void; ms: number }] | null = null;
      for (const e of timers) if (!best || e[1].ms < best[1].ms) best = e;
      if (!best) return null;
      timers.delete(best[0]);
      best[1].fn();
      return best[1].ms;
    },
  };
}

export const AUTHOR = {
  id: "0190b2f8-8c3a-4d3e-9f1a-2b3c4d5e6f70",
  displayName: "Lin",
  role: "citizen" as const,
};
export const CONSULTATION = "0190b2f8-8c3a-4d3e-9f1a-2b3c4d5e6f71";
export const SOURCE = "https://law.example.gov.tw/drafts/labour-act";

export function newComment(paragraph: string, text: string) {
  return {
    consultationId: CONSULTATION,
    target: {
      source: SOURCE,
      selector: [
        { type: "TextQuoteSelector" as const, exact: `paragraph ${paragraph}` },
        { type: "ParagraphSelector" as const, key: paragraph },
      ],
    },
    text,
  };
}

type Handler = (req: {
  method: string;
  url: URL;
  body: unknown;
  headers: Headers;
}) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

export { json as jsonResponse };

/**
 * An in-memory service that keeps the push/pull contract: results remembered
 * per key (a replay returns the same), base revisions checked, a change log
 * driving pull.
 */
export function fakeService(opts: { now?: () => string } = {}) {
  const now = opts.now ?? (() => "2025-01-01T00:00:00.000Z");
  const annotations = new Map<string, Annotation>();
  const changed = new Map<string, number>();
  const results = new Map<string, PushResult>();
  const closed = new Set<string>();
  const pushes: Mutation[][] = [];
  const pulls: string[] = [];
  const requests: Array<{ method: string; path: string; headers: Headers }> = [];
  /** Scripted answers, used before the contract: a Response, or "network" to throw. */
  const script: Array<Response | "network" | "apply-then-network"> = [];
  let seq = 0;

  function record(a: Annotation) {
    annotations.set(a.id, a);
    changed.set(a.id, ++seq);
  }

  function fromInput(i: AnnotationCreate): Annotation {
    return {
      id: i.id,
      consultationId: i.consultationId,
      target: i.target,
      paragraphKey: i.target.selector.find((s) => s.type === "ParagraphSelector")?.key ?? null,
      parentId: i.parentId,
      motivation: i.motivation,
      text: i.text,
      suggestion: i.suggestion,
      stance: i.stance,
      author: AUTHOR,
      created: now(),
      modified: now(),
      revision: 1,
      status: "visible",
      hiddenReason: null,
      endorsements: { agree: 0, disagree: 0 },
      pointId: null,
    };
  }

  function apply(m: Mutation): PushResult {
    const done = results.get(m.key);
    if (done) return done;
    let r: PushResult;
    if (m.type === "annotation.create") {
      const existing = annotations.get(m.annotation.id);
      if (existing) r = { key: m.key, status: "applied", annotation: existing };
      else if (m.annotation.consultationId && closed.has(m.annotation.consultationId))
        r = {
          key: m.key,
          status: "rejected",
          error: { code: "consultation_closed", message: "comments are closed" },
        };
      else {
        const a = fromInput(m.annotation);
        record(a);
        r = { key: m.key, status: "applied", annotation: a };
      }
    } else {
      const id = m.type === "endorsement.set" ? m.annotationId : m.id;
      const a = annotations.get(id);
      if (!a)
        r = {
          key: m.key,
          status: "rejected",
          error: { code: "not_found", message: "no such annotation" },
        };
      else if (m.type === "endorsement.set") {
        const next = { ...a, endorsements: { ...a.endorsements } };
        if (m.kind) next.endorsements[m.kind]++;
        record(next);
        r = { key: m.key, status: "applied", annotation: next };
      } else if (m.baseRevision !== a.revision || a.status !== "visible") {
        r = { key: m.key, status: "conflict", reason: "revision_mismatch", server: a };
      } else {
        const next: Annotation =
          m.type === "annotation.edit"
            ? { ...a, ...m.patch, revision: a.revision + 1, modified: now() }
            : { ...a, status: "withdrawn", revision: a.revision + 1, modified: now() };
        record(next);
        r = { key: m.key, status: "applied", annotation: next };
      }
    }
    results.set(m.key, r);
    return r;
  }

  const routes: Handler = ({ method, url, body }) => {
    if (method === "POST" && url.pathname === "/v1/sync/push") {
      const mutations = (body as { mutations: Mutation[] }).mutations;
      pushes.push(mutations);
      return json(200, { results: mutations.map(apply) });
    }
    if (method === "GET" && url.pathname === "/v1/sync/pull") {
      pulls.push(url.search);
      const since = Number(url.searchParams.get("since") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? 500);
      const c = url.searchParams.get("consultation");
      const s = url.searchParams.get("source");
      const all = [...changed]
        .filter(([, n]) => n > since)
        .map(([id, n]) => ({ a: annotations.get(id) as Annotation, n }))
        .filter(({ a }) => (c ? a.consultationId === c : a.target.source === s))
        .sort((x, y) => x.n - y.n);
      const page = all.slice(0, limit);
      return json(200, {
        annotations: page.map((p) => p.a),
        cursor: page.at(-1)?.n ?? since,
        hasMore: all.length > limit,
        responses: [],
      });
    }
    return json(404, { error: { code: "not_found", message: "no route" } });
  };

  const fetchImpl = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const headers = new Headers(init?.headers);
    requests.push({ method, path: url.pathname + url.search, headers });
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const scripted = script.shift();
    if (scripted === "network") throw new TypeError("fetch failed");
    if (scripted === "apply-then-network") {
      await routes({ method, url, body, headers });
      throw new TypeError("fetch failed");
    }
    if (scripted) return scripted;
    return routes({ method, url, body, headers });
  };

  return {
    fetch: fetchImpl as typeof fetch,
    annotations,
    closed,
    pushes,
    pulls,
    requests,
    script,
    /** Someone else (or the author elsewhere) changes an annotation on the service. */
    editElsewhere(id: string, text: string) {
      const a = annotations.get(id);
      if (!a) throw new Error(`no ${id}`);
      record({ ...a, text, revision: a.revision + 1 });
    },
    /** The author withdraws it on another device, or a moderator hides it. */
    setStatusElsewhere(id: string, status: "withdrawn" | "hidden") {
      const a = annotations.get(id);
      if (!a) throw new Error(`no ${id}`);
      const hiddenReason = status === "hidden" ? "flagged for review" : null;
      record({ ...a, status, hiddenReason, revision: a.revision + 1 });
    },
    seed(a: Annotation) {
      record(a);
    },
    fromInput,
  };
}

/** Resolves once `check()` holds; fails after 5 s. */
export function until(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > 5000) reject(new Error("timed out"));
      else setTimeout(tick, 5);
    };
    tick();
  });
}
