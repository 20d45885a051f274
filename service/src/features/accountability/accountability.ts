import type { Accountability, Point, PublicPerson } from "@margin/model";

interface Counts {
  total: number;
  answered: number;
  unanswered: number;
  overdue: number;
}

const empty = (): Counts => ({ total: 0, answered: 0, unanswered: 0, overdue: 0 });

function add(c: Counts, p: Point) {
  c.total++;
  if (p.answered) c.answered++;
  else c.unanswered++;
  if (p.overdue) c.overdue++;
}

/**
 * Who answered what, and what is late: per consultation, per paragraph and
 * per official. Every assigned official shares responsibility for every
 * unanswered point; answers are credited to the official who published them.
 */
export function accountability(input: {
  consultationId: string;
  respondBy: Date;
  pending: number;
  points: Point[];
  assigned: PublicPerson[];
  answeredBy: { official: PublicPerson; points: number }[];
}): Accountability {
  const total = empty();
  const byParagraph = new Map<string | null, Counts>();
  for (const p of input.points) {
    add(total, p);
    const c = byParagraph.get(p.paragraphKey) ?? empty();
    add(c, p);
    byParagraph.set(p.paragraphKey, c);
  }
  const officials = new Map<string, Accountability["byOfficial"][number]>();
  for (const o of input.assigned)
    officials.set(o.id, {
      official: o,
      assigned: true,
      answered: 0,
      unansweredAssigned: total.unanswered,
    });
  for (const a of input.answeredBy) {
    const row = officials.get(a.official.id) ?? {
      official: a.official,
      assigned: false,
      answered: 0,
      unansweredAssigned: 0,
    };
    row.answered = a.points;
    officials.set(a.official.id, row);
  }
  return {
    consultationId: input.consultationId,
    respondBy: input.respondBy.toISOString(),
    pending: input.pending,
    points: total,
    byParagraph: [...byParagraph.entries()].map(([paragraphKey, c]) => ({ paragraphKey, ...c })),
    byOfficial: [...officials.values()].sort(
      (a, b) =>
        b.answered - a.answered || a.official.displayName.localeCompare(b.official.displayName),
    ),
  };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
