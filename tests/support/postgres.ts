import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** A new database on the PostgreSQL server named by DATABASE_URL, dropped by `drop()`. */
export async function freshServerDatabase(serverUrl: string) {
  const name = `margin_e2e_${randomBytes(5).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
