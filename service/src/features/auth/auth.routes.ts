import { createRoute } from "@hono/zod-openapi";
import { LoginInputSchema, RegisterInputSchema, SessionSchema, UserSchema } from "@margin/model";
import { type AuthUser, requireUser, router } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { DUMMY_HASH, verifyPassword } from "./passwords.ts";
import { endAllSessions, endSession, startSession } from "./sessions.repository.ts";
import { createUser, findUserByEmail, toUser } from "./users.repository.ts";

export function authRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/register",
      tags: ["auth"],
      summary: "Create a citizen account and sign in",
      request: jsonBody(RegisterInputSchema),
      responses: {
        201: json(SessionSchema, "Signed up and signed in"),
        409: errors[409],
        400: errors[400],
      },
    }),
    async (c) => {
      const { db, now, sessionDays } = c.get("deps");
      const input = c.req.valid("json");
      const user = await createUser(db, { ...input, role: "citizen", agencyId: null });
      if (!user)
        throw new AppError(
          "conflict",
          "an account with this email already exists; sign in instead",
        );
      const s = await startSession(db, user.id, now(), sessionDays);
      return c.json({ token: s.token, expiresAt: s.expiresAt.toISOString(), user }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags: ["auth"],
      summary: "Sign in with email and password",
      request: jsonBody(LoginInputSchema),
      responses: { 200: json(SessionSchema, "Signed in"), 401: errors[401], 400: errors[400] },
    }),
    async (c) => {
      const { db, now, sessionDays } = c.get("deps");
      const { email, password } = c.req.valid("json");
      const row = await findUserByEmail(db, email);
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !ok) throw new AppError("unauthenticated", "wrong email or password");
      const s = await startSession(db, row.id, now(), sessionDays);
      return c.json(
        { token: s.token, expiresAt: s.expiresAt.toISOString(), user: toUser(row) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags: ["auth"],
      summary: "End this session (or every session with ?everywhere=true)",
      security: bearer,
      responses: { 204: { description: "Signed out" }, 401: errors[401] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      if (c.req.query("everywhere") === "true") await endAllSessions(db, user.id, now());
      else await endSession(db, c.get("token") as string, now());
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/auth/me",
      tags: ["auth"],
      summary: "Who is signed in",
      security: bearer,
      responses: { 200: json(UserSchema, "The signed-in person"), 401: errors[401] },
    }),
    (c) => c.json(toUser(requireUser(c) as AuthUser), 200),
  );

  return app;
}
