import type { Agency, Consultation } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { listAgencies } from "../agencies/agencies.repository.ts";
import { listConsultations } from "../consultations/consultations.repository.ts";
import { median } from "./accountability.ts";
import { accountabilityOf } from "./report.ts";

export interface ScoreRow {
  agency: Agency;
  consultations: {
    consultation: Consultation;
    total: number;
    answered: number;
    overdue: number;
  }[];
  points: number;
  answered: number;
  responseRate: number | null;
  medianDaysToAnswer: number | null;
  overdue: number;
}

/**
 * The same figures as GET /v1/scoreboard (response rate, median days to
 * answer, overdue points), computed with the same functions, plus each
 * consultation's counts so the page can link to them.
 */
export async function scoreboard(db: Kysely<Database>, at: Date): Promise<ScoreRow[]> {
  const [agencies, consultations] = await Promise.all([
    listAgencies(db),
    listConsultations(db, {}, at),
  ]);
  const rows: ScoreRow[] = [];
  for (const agency of agencies) {
    const mine = consultations.filter((k) => k.agency.id === agency.id);
    const row: ScoreRow = {
      agency,
      consultations: [],
      points: 0,
      answered: 0,
      responseRate: null,
      medianDaysToAnswer: null,
      overdue: 0,
    };
    const days: number[] = [];
    for (const k of mine) {
      const { report, daysToAnswer } = await accountabilityOf(db, k, at);
      row.points += report.points.total;
      row.answered += report.points.answered;
      row.overdue += report.points.overdue;
      days.push(...daysToAnswer);
      row.consultations.push({
        consultation: k,
        total: report.points.total,
        answered: report.points.answered,
        overdue: report.points.overdue,
      });
    }
    const med = median(days);
    row.responseRate = row.points ? row.answered / row.points : null;
    row.medianDaysToAnswer = med === null ? null : Math.round(med * 10) / 10;
    rows.push(row);
  }
  return rows;
}
