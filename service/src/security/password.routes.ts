import { createRoute } from "@hono/zod-openapi";
import { PasswordChangeInputSchema } from "@margin/model";
import { audit } from "../features/audit/audit.ts";
import { hashPassword, verifyPassword } from "../features/auth/passwords.ts";
import { hashToken } from "../features/auth/tokens.ts";
import { findUserById } from "../features/auth/users.repository.ts";
import { countAttempt, loginKey } from "../features/rate-limits/rate-limits.middleware.ts";
import { clearKey } from "../features/rate-limits/rate-limits.repository.ts";
import { requireUser, router } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { bearer, errors, jsonBody } from "../http/openapi.ts";

/** Changing a password: proves the current one, then ends every other session. */
export function passwordRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/password",
      tags: ["auth"],
      summary: "Change your password (send the current one); every other session is signed out",
      security: bearer,
      request: jsonBody(PasswordChangeInputSchema),
      responses: {
        204: { description: "Changed; this session stays signed in, every other one ends" },
        400: errors[400],
        401: errors[401],
        403: errors[403],
        429: errors[429],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const { currentPassword, newPassword } = c.req.valid("json");
      // Guessing the current password shares the sign-in budget of this email and address.
      const key = loginKey(c, user.email);
      await countAttempt(c, key);
      const row = await findUserById(db, user.id);
      if (!row || !(await verifyPassword(currentPassword, row.password_hash)))
        throw new AppError("forbidden", "the current password is not right");
      const hash = await hashPassword(newPassword);
      const keep = hashToken(c.get("token") as string);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("users")
          .set({ password_hash: hash })
          .where("id", "=", user.id)
          .execute();
        await tx
          .updateTable("sessions")
          .set({ revoked_at: now() })
          .where("user_id", "=", user.id)
          .where("token_hash", "!=", keep)
          .where("revoked_at", "is", null)
          .execute();
        await audit(tx, {
          actorId: user.id,
          action: "user.password_change",
          entity: "user",
          entityId: user.id,
        });
      });
      await clearKey(db, key);
      return c.body(null, 204);
    },
  );

  return app;
}
