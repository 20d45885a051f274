import type { ConsultationSummary, ParagraphSummary } from "@margin/model";
import { type Kysely, sql } from "kysely";
import type { Database, ParagraphStatsTable } from "../../db/schema.ts";

type Counts = Omit<ParagraphStatsTable, "consultation_id" | "paragraph_key">;
type Row = Counts & { paragraph_key: string | null; is_total: boolean };

const EMPTY: Counts = {
  comments: 0,
  people: 0,
  agree: 0,
  support: 0,
  oppose: 0,
  neutral: 0,
  questions: 0,
  suggestions: 0,
};

function toSummary(r: Row): ParagraphSummary {
  return {
    paragraphKey: r.paragraph_key,
    comments: r.comments,
    people: r.people,
    agree: r.agree,
    stance: { support: r.support, oppose: r.oppose, neutral: r.neutral },
    questions: r.questions,
    suggestions: r.suggestions,
  };
}

function toConsultationSummary(consultationId: string, rows: Row[]): ConsultationSummary {
  const { paragraphKey: _, ...totals } = toSummary(
    rows.find((r) => r.is_total) ?? { paragraph_key: null, is_total: true, ...EMPTY },
  );
  return {
    consultationId,
    totals,
    paragraphs: rows
      .filter((r) => !r.is_total)
      .map(toSummary)
      // Most commented first; ties in key order, the unanchored bucket first.
      .sort(
        (a, b) =>
          b.comments - a.comments ||
          (a.paragraphKey ?? "").localeCompare(b.paragraphKey ?? "", "en"),
      ),
  };
}

/**
 * Per paragraph and in total, from the counters the database keeps as comments are written
 * (migration 7): a few hundred rows to read whatever the number of comments.
 */
export async function consultationSummary(
  db: Kysely<Database>,
  consultationId: string,
): Promise<ConsultationSummary> {
  const { rows } = await sql<Row>`
    select nullif(paragraph_key, '') as paragraph_key, false as is_total, comments, people, agree,
           support, oppose, neutral, questions, suggestions
      from paragraph_stats
     where consultation_id = ${consultationId} and comments > 0
    union all
    select null, true, coalesce(sum(s.comments), 0)::int,
           (select count(*)::int from consultation_authors
             where consultation_id = ${consultationId} and n > 0),
           coalesce(sum(s.agree), 0)::int, coalesce(sum(s.support), 0)::int,
           coalesce(sum(s.oppose), 0)::int, coalesce(sum(s.neutral), 0)::int,
           coalesce(sum(s.questions), 0)::int, coalesce(sum(s.suggestions), 0)::int
      from paragraph_stats s
     where s.consultation_id = ${consultationId}`.execute(db);
  return toConsultationSummary(consultationId, rows);
}

/**
 * The same summary computed from the comments themselves, in one pass (grouping sets): the
 * definition the counters must agree with (tests), and the peer the benchmark measures them against.
 */
export async function consultationSummaryByScan(
  db: Kysely<Database>,
  consultationId: string,
): Promise<ConsultationSummary> {
  const { rows } = await sql<Row>`
    select paragraph_key,
           grouping(paragraph_key) = 1 as is_total,
           count(*)::int as comments,
           count(distinct author_id)::int as people,
           coalesce(sum(agree_count), 0)::int as agree,
           (count(*) filter (where stance = 'support'))::int as support,
           (count(*) filter (where stance = 'oppose'))::int as oppose,
           (count(*) filter (where stance = 'neutral'))::int as neutral,
           (count(*) filter (where motivation = 'questioning'))::int as questions,
           (count(*) filter (where motivation = 'editing'))::int as suggestions
      from annotations
     where consultation_id = ${consultationId} and parent_id is null and status = 'visible'
     group by grouping sets ((paragraph_key), ())`.execute(db);
  return toConsultationSummary(consultationId, rows);
}
