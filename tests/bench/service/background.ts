import type postgres from "postgres";

/** Comments not yet folded into points by the service's background work. */
export async function unclustered(sql: postgres.Sql): Promise<number> {
  const [row] = await sql`
    select count(*)::int as n from annotations
     where computed_cluster_id is null and parent_id is null
       and consultation_id is not null and status = 'visible'`;
  return Number(row?.n);
}

/** Waits until the service's background work has folded every comment into points. */
export async function backgroundDone(sql: postgres.Sql, limitMs = 180_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (let n = await unclustered(sql); n > 0; n = await unclustered(sql)) {
    if (Date.now() > deadline)
      throw new Error(`clustering still has ${n} comments after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
