import { type Kysely, sql } from "kysely";

/*
 * Per-paragraph comment counts kept up to date by the database itself, so the summary of a
 * consultation with a million comments reads a few hundred rows instead of scanning them all.
 *
 * Statement-level triggers on `annotations` see every write (API, sync push, bulk import,
 * moderation, versions carrying comments to new paragraphs) and apply it as a delta: +1 for each
 * visible top-level comment that appears, -1 for each that goes. "People" is a distinct count, so
 * it is kept from per-author counters: a person starts counting when their count leaves 0 and stops
 * when it returns to 0. The counters are updated by INSERT ... ON CONFLICT DO UPDATE, which locks
 * the row, so concurrent writers see each other's counts and the transitions stay exact; rows are
 * taken in key order, so two writers never wait on each other in a cycle, and a write that changes
 * nothing counted (a cluster assignment, a text edit) touches no counter. The consultation's total
 * of people is counted from `consultation_authors` when read.
 *
 * The unanchored bucket (paragraph_key null) is stored under '' (no real key is empty).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table paragraph_stats (
      consultation_id uuid not null references consultations(id),
      paragraph_key text not null,
      comments integer not null default 0,
      people integer not null default 0,
      agree integer not null default 0,
      support integer not null default 0,
      oppose integer not null default 0,
      neutral integer not null default 0,
      questions integer not null default 0,
      suggestions integer not null default 0,
      primary key (consultation_id, paragraph_key)
    )`.execute(db);
  await sql`
    create table paragraph_authors (
      consultation_id uuid not null,
      paragraph_key text not null,
      author_id uuid not null,
      n integer not null,
      primary key (consultation_id, paragraph_key, author_id)
    )`.execute(db);
  await sql`
    create table consultation_authors (
      consultation_id uuid not null,
      author_id uuid not null,
      n integer not null,
      primary key (consultation_id, author_id)
    )`.execute(db);
  // The consultation's people are counted when read (a partial index keeps that fast): one
  // counter row for the whole consultation would make every newcomer's comment wait on it.
  await sql`
    create index consultation_authors_present on consultation_authors (consultation_id)
     where n > 0`.execute(db);
  await sql`
    create type annotation_stat_delta as (
      consultation_id uuid, paragraph_key text, author_id uuid, sign integer,
      agree integer, stance text, motivation text
    )`.execute(db);

  await sql`
    create function annotation_stats_add(d annotation_stat_delta[]) returns void
    language plpgsql as $fn$
    begin
      -- PL/pgSQL, not SQL: its statement's plan is kept for the session instead of being made
      -- again for every write.
      if coalesce(array_length(d, 1), 0) = 0 then
        return;
      end if;
      with rows as (select * from unnest(d)),
      by_author as (
        select consultation_id, paragraph_key, author_id, sum(sign)::int as delta
          from rows group by 1, 2, 3 having sum(sign) <> 0
      ),
      paragraph_counts as (
        insert into paragraph_authors as pa (consultation_id, paragraph_key, author_id, n)
        select consultation_id, paragraph_key, author_id, delta from by_author order by 1, 2, 3
        on conflict (consultation_id, paragraph_key, author_id) do update set n = pa.n + excluded.n
        returning pa.consultation_id, pa.paragraph_key, pa.author_id, pa.n
      ),
      paragraph_people as (
        select c.consultation_id, c.paragraph_key,
               sum((c.n > 0)::int - ((c.n - b.delta) > 0)::int)::int as people
          from paragraph_counts c
          join by_author b using (consultation_id, paragraph_key, author_id)
         group by 1, 2
      ),
      by_consultation_author as (
        select consultation_id, author_id, sum(delta)::int as delta
          from by_author group by 1, 2 having sum(delta) <> 0
      ),
      consultation_counts as (
        insert into consultation_authors as ca (consultation_id, author_id, n)
        select consultation_id, author_id, delta from by_consultation_author order by 1, 2
        on conflict (consultation_id, author_id) do update set n = ca.n + excluded.n
      ),
      counts as (
        select consultation_id, paragraph_key,
               sum(sign)::int as comments,
               sum(sign * agree)::int as agree,
               sum(sign) filter (where stance = 'support')::int as support,
               sum(sign) filter (where stance = 'oppose')::int as oppose,
               sum(sign) filter (where stance = 'neutral')::int as neutral,
               sum(sign) filter (where motivation = 'questioning')::int as questions,
               sum(sign) filter (where motivation = 'editing')::int as suggestions
          from rows group by 1, 2
      )
      insert into paragraph_stats as ps
        (consultation_id, paragraph_key, comments, people, agree, support, oppose, neutral,
         questions, suggestions)
      select k.consultation_id, k.paragraph_key, k.comments, coalesce(p.people, 0), k.agree,
             coalesce(k.support, 0), coalesce(k.oppose, 0), coalesce(k.neutral, 0),
             coalesce(k.questions, 0), coalesce(k.suggestions, 0)
        from counts k
        left join paragraph_people p using (consultation_id, paragraph_key)
       where k.comments <> 0 or k.agree <> 0 or coalesce(p.people, 0) <> 0
          or k.support <> 0 or k.oppose <> 0 or k.neutral <> 0
          or k.questions <> 0 or k.suggestions <> 0
       order by 1, 2
      on conflict (consultation_id, paragraph_key) do update set
        comments = ps.comments + excluded.comments,
        people = ps.people + excluded.people,
        agree = ps.agree + excluded.agree,
        support = ps.support + excluded.support,
        oppose = ps.oppose + excluded.oppose,
        neutral = ps.neutral + excluded.neutral,
        questions = ps.questions + excluded.questions,
        suggestions = ps.suggestions + excluded.suggestions;
    end
    $fn$`.execute(db);

  // Only visible top-level comments of a consultation count, as in the summary's definition.
  await sql`
    create function annotation_stats_trigger() returns trigger
    language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        perform annotation_stats_add(array(
          select row(consultation_id, coalesce(paragraph_key, ''), author_id, 1, agree_count,
                     stance, motivation)::annotation_stat_delta
            from new_rows
           where consultation_id is not null and parent_id is null and status = 'visible'));
      elsif tg_op = 'DELETE' then
        perform annotation_stats_add(array(
          select row(consultation_id, coalesce(paragraph_key, ''), author_id, -1, agree_count,
                     stance, motivation)::annotation_stat_delta
            from old_rows
           where consultation_id is not null and parent_id is null and status = 'visible'));
      else
        perform annotation_stats_add(array(
          select row(consultation_id, coalesce(paragraph_key, ''), author_id, 1, agree_count,
                     stance, motivation)::annotation_stat_delta
            from new_rows
           where consultation_id is not null and parent_id is null and status = 'visible'
          union all
          select row(consultation_id, coalesce(paragraph_key, ''), author_id, -1, agree_count,
                     stance, motivation)::annotation_stat_delta
            from old_rows
           where consultation_id is not null and parent_id is null and status = 'visible'));
      end if;
      return null;
    end
    $fn$`.execute(db);
  await sql`
    create trigger annotations_stats_insert after insert on annotations
    referencing new table as new_rows
    for each statement execute function annotation_stats_trigger()`.execute(db);
  await sql`
    create trigger annotations_stats_update after update on annotations
    referencing old table as old_rows new table as new_rows
    for each statement execute function annotation_stats_trigger()`.execute(db);
  await sql`
    create trigger annotations_stats_delete after delete on annotations
    referencing old table as old_rows
    for each statement execute function annotation_stats_trigger()`.execute(db);

  // Counts for what was written before this migration.
  await sql`
    select annotation_stats_add(array(
      select row(consultation_id, coalesce(paragraph_key, ''), author_id, 1, agree_count,
                 stance, motivation)::annotation_stat_delta
        from annotations
       where consultation_id is not null and parent_id is null and status = 'visible'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists annotations_stats_insert on annotations`.execute(db);
  await sql`drop trigger if exists annotations_stats_update on annotations`.execute(db);
  await sql`drop trigger if exists annotations_stats_delete on annotations`.execute(db);
  await sql`drop function if exists annotation_stats_trigger()`.execute(db);
  await sql`drop function if exists annotation_stats_add(annotation_stat_delta[])`.execute(db);
  await sql`drop type if exists annotation_stat_delta`.execute(db);
  for (const table of ["paragraph_stats", "paragraph_authors", "consultation_authors"])
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
}
