import type { Role, User } from "@margin/model";
import type { Db } from "../../db/connect.ts";
import type { UsersTable } from "../../db/schema.ts";
import { hashPassword } from "./passwords.ts";

type UserRow = Pick<UsersTable, "email" | "display_name" | "role" | "agency_id"> & {
  id: string;
  created_at: Date;
};

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    agencyId: row.agency_id,
    createdAt: row.created_at.toISOString(),
  };
}

export async function createUser(
  db: Db,
  u: { email: string; password: string; displayName: string; role: Role; agencyId: string | null },
): Promise<User | null> {
  const row = await db
    .insertInto("users")
    .values({
      email: u.email,
      password_hash: await hashPassword(u.password),
      display_name: u.displayName,
      role: u.role,
      agency_id: u.agencyId,
    })
    .onConflict((oc) => oc.column("email").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export function findUserById(db: Db, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}
