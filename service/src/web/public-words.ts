import type { Disposition, Locale } from "@margin/model";

/** Every word the public pages say, in Traditional Chinese and English. */
export const publicWords = {
  "zh-Hant": {
    opens: "意見徵集期間",
    to: "至",
    respondBy: "機關回應期限",
    status: {
      draft: "草稿",
      upcoming: "即將開始",
      open: "徵求意見中",
      closed: "已截止",
      concluded: "已完成",
    },
    language: "語言",
    answersLink: "查看機關回應與逾期情形",
    answersTitle: "機關回應",
    draftLink: "回到草案全文",
    statusHeading: "回應狀態",
    points: (n: number) => `${n} 個意見重點`,
    pointsHeading: "意見重點",
    overdueHeading: "逾期未回應重點",
    answered: "已回應",
    unanswered: "未回應",
    overdue: "逾期未回應",
    counts: (a: number, u: number, o: number) => `已回應 ${a}、未回應 ${u}、逾期 ${o}`,
    pending: (n: number) => `另有 ${n} 則新留言正在歸納為意見重點。`,
    deadlinePassed: "回應期限已過。",
    deadlineAhead: (d: number) => `距回應期限尚有 ${d} 天。`,
    byOfficial: "各承辦人回應情形",
    official: "承辦人",
    assigned: "負責本案",
    answeredPoints: "已回應重點",
    unansweredAssigned: "負責但尚未回應的重點",
    yes: "是",
    no: "否",
    noOfficials: "尚無承辦人資料。",
    byParagraph: "逐段意見與回應",
    otherPoints: "其他意見（不屬於目前草案的段落）",
    noPointsHere: "此段尚無意見。",
    paragraphAnswer: "對整段的回應",
    comments: (n: number) => `${n} 則留言`,
    people: (n: number) => `${n} 人`,
    stance: (s: number, o: number, n: number) => `支持 ${s}、反對 ${o}、中立 ${n}`,
    campaign: "集體陳情",
    campaignHelp: "多人送出幾乎相同的文字",
    answeredBy: "回應者",
    revisions: (n: number) => `修改紀錄（共 ${n} 版）`,
    revision: (n: number) => `第 ${n} 版`,
    noAnswer: "尚未回應。",
    noDraft: "尚未上傳草案。",
    dispositions: {
      adopted: "採納",
      partly_adopted: "部分採納",
      not_adopted: "不採納",
      explained: "說明",
      out_of_scope: "非本案範圍",
    } satisfies Record<Disposition, string>,
    scoreboard: "各機關回應成績",
    scoreboardIntro: "每個機關對民眾意見重點的回應率、回應所需天數中位數，以及逾期未回應的重點數。",
    agency: "機關",
    consultations: "徵集案",
    responseRate: "回應率",
    medianDays: "回應天數中位數",
    none: "—",
    days: (d: number) => `${d} 天`,
    consultationsHeading: "各徵集案",
    home: "首頁",
  },
  en: {
    opens: "Comment period",
    to: "to",
    respondBy: "Agency answers due",
    status: {
      draft: "draft",
      upcoming: "upcoming",
      open: "open for comment",
      closed: "closed",
      concluded: "concluded",
    },
    language: "Language",
    answersLink: "See the agency's answers and what is overdue",
    answersTitle: "Official answers",
    draftLink: "Back to the full draft",
    statusHeading: "Where the answers stand",
    points: (n: number) => `${n} ${n === 1 ? "point" : "points"}`,
    pointsHeading: "Points",
    overdueHeading: "Overdue points",
    answered: "answered",
    unanswered: "unanswered",
    overdue: "overdue",
    counts: (a: number, u: number, o: number) => `${a} answered, ${u} unanswered, ${o} overdue`,
    pending: (n: number) => `${n} new comments are still being grouped into points.`,
    deadlinePassed: "The deadline for answers has passed.",
    deadlineAhead: (d: number) => `${d} days until answers are due.`,
    byOfficial: "Answers by official",
    official: "Official",
    assigned: "Assigned",
    answeredPoints: "Points answered",
    unansweredAssigned: "Unanswered points they share",
    yes: "yes",
    no: "no",
    noOfficials: "No officials yet.",
    byParagraph: "Paragraph by paragraph",
    otherPoints: "Other points (not on a paragraph of the current draft)",
    noPointsHere: "No points on this paragraph yet.",
    paragraphAnswer: "Answer to the whole paragraph",
    comments: (n: number) => `${n} ${n === 1 ? "comment" : "comments"}`,
    people: (n: number) => `${n} ${n === 1 ? "person" : "people"}`,
    stance: (s: number, o: number, n: number) => `${s} support, ${o} oppose, ${n} neutral`,
    campaign: "campaign",
    campaignHelp: "many people sent nearly the same text",
    answeredBy: "Answered by",
    revisions: (n: number) => `Revision history (${n} versions)`,
    revision: (n: number) => `Version ${n}`,
    noAnswer: "Not answered yet.",
    noDraft: "No draft has been uploaded yet.",
    dispositions: {
      adopted: "adopted",
      partly_adopted: "partly adopted",
      not_adopted: "not adopted",
      explained: "explained",
      out_of_scope: "out of scope",
    } satisfies Record<Disposition, string>,
    scoreboard: "Agency scoreboard",
    scoreboardIntro:
      "Each agency's response rate to the points citizens raised, the median days to answer, and the points left overdue.",
    agency: "Agency",
    consultations: "Consultations",
    responseRate: "Response rate",
    medianDays: "Median days to answer",
    none: "—",
    days: (d: number) => `${d} ${d === 1 ? "day" : "days"}`,
    consultationsHeading: "Consultations",
    home: "Home",
  },
} as const;

export type PublicWords = (typeof publicWords)[Locale];

/** `?lang=en|zh-Hant` wins; otherwise the fallback (the consultation's own locale). */
export function pickLang(query: string | undefined, fallback: Locale): Locale {
  return query === "en" || query === "zh-Hant" ? query : fallback;
}

/** For pages that belong to no consultation: the browser's first Chinese or English preference. */
export function langFromHeader(header: string | undefined, fallback: Locale = "zh-Hant"): Locale {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    if (tag.startsWith("zh")) return "zh-Hant";
    if (tag.startsWith("en")) return "en";
  }
  return fallback;
}

const TZ = "Asia/Taipei";

export function formatDay(iso: string | Date, lang: Locale): string {
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-TW", {
    dateStyle: "medium",
    timeZone: TZ,
  }).format(new Date(iso));
}

export function formatMoment(iso: string | Date, lang: Locale): string {
  return `${new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-TW", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: TZ,
  }).format(new Date(iso))} (UTC+8)`;
}
