import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Db } from "../db/connect.ts";
import type { Limits } from "../features/rate-limits/limits.ts";
import { AppError, validationError } from "./errors.ts";
import type { WriteActivity } from "./write-activity.ts";

export interface Deps {
  db: Db;
  now: () => Date;
  /** How long a sign-in lasts. */
  sessionDays: number;
  /** The origin the service is reached at, for links it hands out. */
  publicUrl: string;
  /** Rate limits, flags to hide, proxies trusted; defaults in features/rate-limits/limits.ts. */
  limits?: Partial<Limits>;
  /** Told of every write, so background work can wait for a gap (server.ts). */
  writes?: WriteActivity;
}

export interface AuthUser {
  id: string;
  email: string;
  display_name: string;
  role: "citizen" | "official" | "admin";
  agency_id: string | null;
  created_at: Date;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    user: AuthUser | null;
    token: string | null;
    /** A write's admission, started before its body is read (see startAdmission). */
    admission?: Promise<AuthUser | null>;
  };
};

export type Ctx = Context<AppEnv>;

/** A router whose validation failures use Margin's error shape with field paths. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const target = (result as { target?: string }).target ?? "body";
        const where = target === "json" ? "body" : target === "param" ? "params" : target;
        throw validationError(where, result.error);
      }
      return undefined;
    },
  });
}

export function requireUser(c: Ctx): AuthUser {
  const user = c.get("user");
  if (!user)
    throw new AppError("unauthenticated", "sign in first: send Authorization: Bearer <token>");
  return user;
}

export function requireAdmin(c: Ctx): AuthUser {
  const user = requireUser(c);
  if (user.role !== "admin") throw new AppError("forbidden", "only an administrator may do this");
  return user;
}
