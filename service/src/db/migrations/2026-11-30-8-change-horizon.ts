import { type Kysely, sql } from "kysely";

/*
 * Changes are numbered by their readers, not their writers.
 *
 * Until now every writing transaction bumped one counter row per scope, and that row's lock made
 * all writers of a consultation commit one after another (about 110 creates/s at 64 clients).
 * Now a writer only inserts its change row, stamped with its transaction id (`xid`), and leaves
 * `seq` empty: nothing is shared between writers, so they never wait on each other.
 *
 * A pull first numbers the changes that are certainly final: those whose transaction id is below
 * a horizon, the oldest transaction of this database still running in the current snapshot
 * (`pg_current_snapshot()`: its xmin, but ignoring other databases' transactions; see
 * `change_horizon()`). Every transaction below that horizon has ended, so no row with such an xid can ever appear later; a change whose transaction is still
 * running (or committed after an older one that still runs) waits for a later pull. Numbering
 * takes a per-scope advisory lock and continues from the scope's highest number, so numbers of
 * a scope stay dense, are handed out in the order they become visible, and every number a reader
 * can see was given before any larger one: a reader at cursor N never later meets a change
 * numbered N or below (S5). Cursors that clients already hold stay valid, as the rows numbered
 * before this migration keep their numbers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table changes drop constraint changes_pk`.execute(db);
  await sql`alter table changes alter column seq drop not null`.execute(db);
  // Insertion order within one transaction, so a batch is numbered in the order it was written.
  await sql`alter table changes add column id bigint generated always as identity`.execute(db);
  await sql`alter table changes add primary key (id)`.execute(db);
  // Rows written before this migration are already numbered and need no xid.
  await sql`alter table changes add column xid xid8`.execute(db);
  await sql`alter table changes alter column xid set default pg_current_xact_id()`.execute(db);
  await sql`create unique index changes_scope_seq on changes (scope, seq)`.execute(db);
  // What is waiting for a number stays a small, quickly found set.
  await sql`create index changes_unnumbered on changes (scope, xid, id) where seq is null`.execute(
    db,
  );
  await sql`drop table sync_scopes`.execute(db);

  // The horizon: the oldest transaction of this database still running when the snapshot was
  // taken, else the snapshot's xmax (the next id to be given). `pg_snapshot_xmin` alone would
  // be the oldest on the whole server, so one long transaction in any other database would stop
  // every pull here. A running transaction is skipped only when pg_stat_activity shows it belongs
  // to another database (a backend can only write to its own); one it cannot place (it ended in
  // the meantime, or its owner is hidden from this role) still counts, which only waits longer.
  await sql`
    create function change_horizon() returns xid8
    language sql stable as $fn$
      select coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
        from pg_snapshot_xip(pg_current_snapshot()) as x
       where not exists (select 1 from pg_stat_activity a
                          where a.backend_xid = xid(x)
                            and a.datname is distinct from current_database())
    $fn$`.execute(db);

  // One call, so a pull numbers in a single round trip. PL/pgSQL (volatile) takes a fresh snapshot
  // for each statement: the update after the lock sees what the previous holder numbered, and
  // every transaction below a horizon taken earlier is over in any later snapshot too.
  await sql`
    create function number_changes(s text) returns void
    language plpgsql as $fn$
    declare
      horizon xid8;
      base bigint;
    begin
      horizon := change_horizon();
      -- The usual pull finds nothing waiting and takes no lock.
      if not exists (select 1 from changes where scope = s and seq is null and xid < horizon) then
        return;
      end if;
      -- Class 8 keeps these keys apart from other advisory locks (the push lock uses one bigint).
      perform pg_advisory_xact_lock(8, hashtext(s));
      select coalesce(max(seq), 0) into base from changes where scope = s;
      update changes c set seq = base + t.n
        from (select id, row_number() over (order by xid, id) as n
                from changes
               where scope = s and seq is null and xid < horizon) t
       where c.id = t.id;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists number_changes(text)`.execute(db);
  await sql`drop function if exists change_horizon()`.execute(db);
  await sql`
    create table sync_scopes (scope text primary key, seq bigint not null default 0)`.execute(db);
  // Number whatever is left (the old scheme has no unnumbered rows), then restore the counters.
  await sql`
    update changes c set seq = coalesce((select max(seq) from changes m where m.scope = c.scope), 0) + t.n
      from (select id, row_number() over (partition by scope order by xid, id) as n
              from changes where seq is null) t
     where c.id = t.id`.execute(db);
  await sql`
    insert into sync_scopes (scope, seq) select scope, max(seq) from changes group by scope`.execute(
    db,
  );
  await sql`drop index changes_unnumbered`.execute(db);
  await sql`drop index changes_scope_seq`.execute(db);
  await sql`alter table changes drop constraint changes_pkey`.execute(db);
  await sql`alter table changes drop column xid`.execute(db);
  await sql`alter table changes drop column id`.execute(db);
  await sql`alter table changes alter column seq set not null`.execute(db);
  await sql`alter table changes add constraint changes_pk primary key (scope, seq)`.execute(db);
}
