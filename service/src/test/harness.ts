import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { AnnotationInput, Session } from "@margin/model";
import { createApp } from "../app.ts";
import type { Db } from "../db/connect.ts";
import { createAgency } from "../features/agencies/agencies.repository.ts";
import { DUMMY_HASH } from "../features/auth/passwords.ts";
import { hashToken, newSessionToken } from "../features/auth/tokens.ts";
import { createUser } from "../features/auth/users.repository.ts";
import { uuidv7 } from "../http/uuidv7.ts";
import { type Backend, freshDatabase } from "./backends.ts";

export interface TestService {
  url: string;
  db: Db;
  clock: { now: Date };
  /** fetch against the running service; `token` adds the bearer header, objects are sent as JSON. */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** The real service on a real socket over a fresh database, with a clock the test can move. */
export async function startTestService(kind: Backend): Promise<TestService> {
  const database = await freshDatabase(kind);
  const clock = { now: new Date() };
  const app = createApp({
    db: database.db,
    now: () => clock.now,
    sessionDays: 30,
    publicUrl: "http://margin.test",
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db: database.db,
    clock,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: BodyInit | undefined;
      if (typeof opts.body === "string") body = opts.body;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** People and places most tests need: an agency with an official, an admin, two citizens, an open consultation. */
export async function populate(s: TestService) {
  const agency = await createAgency(s.db, {
    slug: `agency-${unique()}`,
    name: { en: "Test Agency" },
    domains: [],
    webhookUrl: null,
  });
  const other = await createAgency(s.db, {
    slug: `other-${unique()}`,
    name: { en: "Other Agency" },
    domains: [],
    webhookUrl: null,
  });
  if (!agency || !other) throw new Error("agency slug clash");
  const pw = "a long test password";
  const mk = async (role: "citizen" | "official" | "admin", agencyId: string | null) => {
    const email = `${role}-${unique()}@example.test`;
    const user = await createUser(s.db, {
      email,
      password: pw,
      displayName: `${role} ${unique()}`,
      role,
      agencyId,
    });
    const login = await s.call("POST", "/v1/auth/login", { body: { email, password: pw } });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return {
      user: user as NonNullable<typeof user>,
      token: (login.body as Session).token,
      email,
      password: pw,
    };
  };
  const official = await mk("official", agency.id);
  const foreignOfficial = await mk("official", other.id);
  const admin = await mk("admin", null);
  const alice = await mk("citizen", null);
  const bob = await mk("citizen", null);

  const now = s.clock.now.getTime();
  const created = await s.call("POST", "/v1/consultations", {
    token: official.token,
    body: {
      agencyId: agency.id,
      title: "Draft amendment",
      summary: "Comment please",
      locale: "en",
      urlPatterns: ["https://gov.example/drafts/*"],
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 7 * 86_400_000).toISOString(),
      respondBy: new Date(now + 14 * 86_400_000).toISOString(),
      officialIds: [official.user.id],
    },
  });
  if (created.status !== 201) throw new Error(`consultation: ${JSON.stringify(created.body)}`);
  const consultationId = created.body.id as string;
  const published = await s.call("PATCH", `/v1/consultations/${consultationId}`, {
    token: official.token,
    body: { status: "published" },
  });
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  return { agency, other, official, foreignOfficial, admin, alice, bob, consultationId };
}

export { uuidv7 };

export function annotationInput(
  consultationId: string | null,
  over: Partial<AnnotationInput> = {},
): AnnotationInput {
  return {
    id: uuidv7(),
    consultationId,
    target: {
      source: "https://gov.example/drafts/labor",
      selector: [
        {
          type: "TextQuoteSelector",
          exact: "forty hours",
          prefix: "not exceed ",
          suffix: " per week",
        },
        { type: "TextPositionSelector", start: 120, end: 131 },
        { type: "ParagraphSelector", key: "art-30.p1" },
      ],
    },
    motivation: "commenting",
    text: "Forty hours is too many for night shifts.",
    stance: "oppose",
    ...over,
  };
}

/**
 * Many signed-in citizens at once, for loading real comment corpora: rows
 * written directly (no password hashing), each with a live session token.
 */
export function manyCitizens(
  s: TestService,
  n: number,
  prefix = "reader",
): Promise<{ id: string; token: string }[]> {
  return citizensWithSessions(s.db, n, {
    prefix: `${prefix}-${unique()}`,
    expiresAt: new Date(s.clock.now.getTime() + 86_400_000),
  });
}

/** Citizens signed in without a password round (tests and benchmarks need thousands). */
export async function citizensWithSessions(
  db: Db,
  n: number,
  opts: { prefix: string; expiresAt: Date },
): Promise<{ id: string; token: string }[]> {
  const users = await db
    .insertInto("users")
    .values(
      Array.from({ length: n }, (_, i) => ({
        email: `${opts.prefix}-${i}@example.test`,
        password_hash: DUMMY_HASH,
        display_name: `${opts.prefix} ${i}`,
        role: "citizen" as const,
        agency_id: null,
      })),
    )
    .returning("id")
    .execute();
  const tokens = users.map(() => newSessionToken());
  await db
    .insertInto("sessions")
    .values(
      users.map((u, i) => ({
        token_hash: hashToken(tokens[i] as string),
        user_id: u.id,
        expires_at: opts.expiresAt,
      })),
    )
    .execute();
  return users.map((u, i) => ({ id: u.id, token: tokens[i] as string }));
}
