import { computed, signal } from "@preact/signals";

export type Lang = "zh-Hant" | "en";

const en = {
  appName: "Margin console",
  skip: "Skip to content",
  language: "Language",
  signIn: "Sign in",
  signInTitle: "Sign in to the officials' console",
  email: "Email",
  password: "Password",
  signOut: "Sign out",
  signedInAs: "Signed in as",
  notOfficial:
    "This console is for officials of an agency. Citizens comment on the draft pages themselves.",
  consultations: "Consultations",
  statusHeading: "Status",
  newConsultation: "New consultation",
  noConsultations: "No consultations yet.",
  loading: "Loading…",
  retry: "Try again",
  status: {
    draft: "draft",
    upcoming: "upcoming",
    open: "open for comment",
    closed: "closed",
    concluded: "concluded",
  },
  tabs: { points: "Points", heatmap: "Draft heat map", deadline: "Deadline", settings: "Settings" },
  title: "Title",
  summary: "Summary",
  locale: "Language of the draft",
  urlPatterns: "Pages where the draft is published (one URL pattern a line, * matches any path)",
  opensAt: "Comments open",
  closesAt: "Comments close",
  respondBy: "Answers due",
  officials: "Responsible officials",
  create: "Create consultation",
  save: "Save changes",
  saved: "Saved.",
  created: "Created. Upload the draft, then publish.",
  draftHtml: "Draft (HTML)",
  draftFile: "Draft file (.html)",
  draftPaste: "…or paste the draft's HTML",
  versionNote: "Note on this version",
  upload: "Upload draft",
  uploaded: (v: number, n: number) => `Version ${v} uploaded: ${n} paragraphs.`,
  currentVersion: (v: number | null) =>
    v === null ? "No draft uploaded yet." : `Current draft: version ${v}.`,
  publish: "Publish consultation",
  published: "Published.",
  conclude: "Mark concluded",
  publicPage: "Public page",
  answersPage: "Public answers page",
  back: "All consultations",
  // Points
  pointsCount: (n: number) => `${n} points`,
  pending: (n: number) => `${n} new comments are still being grouped into points.`,
  filter: "Show",
  filters: { all: "all", unanswered: "unanswered", overdue: "overdue", answered: "answered" },
  paragraphFilter: "Paragraph",
  allParagraphs: "all paragraphs",
  noPoints: "No points to show.",
  comments: (n: number) => `${n} ${n === 1 ? "comment" : "comments"}`,
  people: (n: number) => `${n} ${n === 1 ? "person" : "people"}`,
  agree: (n: number) => `${n} +1`,
  campaign: "campaign",
  campaignHelp: "many people sent nearly the same text",
  answered: "answered",
  unanswered: "unanswered",
  overdue: "overdue",
  stance: { support: "support", oppose: "oppose", neutral: "neutral" },
  stanceLabel: (s: number, o: number, n: number) => `Support ${s}, oppose ${o}, neutral ${n}`,
  paragraph: "Paragraph",
  noParagraph: "Whole draft",
  answer: "Answer",
  disposition: "Disposition",
  dispositions: {
    adopted: "adopted",
    partly_adopted: "partly adopted",
    not_adopted: "not adopted",
    explained: "explained",
    out_of_scope: "out of scope",
  },
  answerText: "Answer text",
  publishAnswer: "Publish answer",
  saveDraft: "Save as draft",
  draftAnswer: "draft, not public yet",
  publishedOn: "published",
  selectDraft: "Select this draft for publishing",
  publishSelected: (n: number) => `Publish ${n} selected ${n === 1 ? "draft" : "drafts"}`,
  answersPublished: (n: number) => `${n} ${n === 1 ? "answer" : "answers"} published.`,
  answerSaved: "Draft saved.",
  answerPublished: "Answer published.",
  mergeInto: "Merge this point into",
  mergeChoose: "choose a point…",
  merge: "Merge",
  merged: "Merged.",
  showComments: "Comments on this paragraph",
  splitOut: "Make it its own point",
  split: "Split out.",
  // Heat map
  heatmapHelp:
    "Each paragraph of the current draft, tinted by how many comments it drew. Darker means more.",
  legend: "Comments per paragraph",
  seePoints: "See its points",
  noDraft: "No draft uploaded yet.",
  // Deadline
  dueBy: "Answers due",
  daysLeft: (d: number) => (d >= 0 ? `${d} days left` : `${-d} days late`),
  chartStatus: "Points by state",
  chartParagraphs: "Busiest paragraphs: answered and unanswered points",
  chartOfficials: "Answers by official",
  dueList: "Still to answer",
  nothingDue: "Every point has an answer.",
  official: "Official",
  assigned: "assigned",
  answersCount: "points answered",
  unansweredAssigned: "unanswered points they share",
  total: "total",
  yes: "yes",
  no: "no",
  error: "Something went wrong",
};

type Messages = typeof en;

const zh: Messages = {
  appName: "Margin 機關後台",
  skip: "跳到主要內容",
  language: "語言",
  signIn: "登入",
  signInTitle: "登入機關承辦人後台",
  email: "電子郵件",
  password: "密碼",
  signOut: "登出",
  signedInAs: "目前登入",
  notOfficial: "此後台供機關承辦人使用。民眾請直接在草案頁面上留言。",
  consultations: "意見徵集案",
  statusHeading: "狀態",
  newConsultation: "新增徵集案",
  noConsultations: "尚無徵集案。",
  loading: "載入中…",
  retry: "重試",
  status: {
    draft: "草稿",
    upcoming: "即將開始",
    open: "徵求意見中",
    closed: "已截止",
    concluded: "已完成",
  },
  tabs: { points: "意見重點", heatmap: "草案熱度圖", deadline: "回應期限", settings: "設定" },
  title: "標題",
  summary: "說明",
  locale: "草案語言",
  urlPatterns: "草案公告的網頁（每行一個網址樣式，* 代表任何路徑）",
  opensAt: "開始收件",
  closesAt: "截止收件",
  respondBy: "回應期限",
  officials: "負責承辦人",
  create: "建立徵集案",
  save: "儲存變更",
  saved: "已儲存。",
  created: "已建立。請上傳草案後發布。",
  draftHtml: "草案（HTML）",
  draftFile: "草案檔案（.html）",
  draftPaste: "……或貼上草案 HTML",
  versionNote: "此版本說明",
  upload: "上傳草案",
  uploaded: (v: number, n: number) => `已上傳第 ${v} 版，共 ${n} 段。`,
  currentVersion: (v: number | null) => (v === null ? "尚未上傳草案。" : `目前草案：第 ${v} 版。`),
  publish: "發布徵集案",
  published: "已發布。",
  conclude: "標示為已完成",
  publicPage: "公開頁面",
  answersPage: "公開回應頁面",
  back: "所有徵集案",
  pointsCount: (n: number) => `${n} 個意見重點`,
  pending: (n: number) => `尚有 ${n} 則新留言正在歸納中。`,
  filter: "顯示",
  filters: { all: "全部", unanswered: "未回應", overdue: "逾期", answered: "已回應" },
  paragraphFilter: "段落",
  allParagraphs: "所有段落",
  noPoints: "沒有符合的意見重點。",
  comments: (n: number) => `${n} 則留言`,
  people: (n: number) => `${n} 人`,
  agree: (n: number) => `${n} 人附議`,
  campaign: "集體陳情",
  campaignHelp: "多人送出幾乎相同的文字",
  answered: "已回應",
  unanswered: "未回應",
  overdue: "逾期",
  stance: { support: "支持", oppose: "反對", neutral: "中立" },
  stanceLabel: (s: number, o: number, n: number) => `支持 ${s}，反對 ${o}，中立 ${n}`,
  paragraph: "段落",
  noParagraph: "整份草案",
  answer: "回應",
  disposition: "處理情形",
  dispositions: {
    adopted: "採納",
    partly_adopted: "部分採納",
    not_adopted: "不採納",
    explained: "說明",
    out_of_scope: "非本案範圍",
  },
  answerText: "回應內容",
  publishAnswer: "發布回應",
  saveDraft: "存為草稿",
  draftAnswer: "草稿，尚未公開",
  publishedOn: "發布於",
  selectDraft: "選取此草稿以便發布",
  publishSelected: (n: number) => `發布選取的 ${n} 則草稿`,
  answersPublished: (n: number) => `已發布 ${n} 則回應。`,
  answerSaved: "草稿已儲存。",
  answerPublished: "回應已發布。",
  mergeInto: "將此重點併入",
  mergeChoose: "選擇意見重點…",
  merge: "合併",
  merged: "已合併。",
  showComments: "此段落的留言",
  splitOut: "獨立成一個重點",
  split: "已拆分。",
  heatmapHelp: "目前草案的每一段，依留言數量著色；顏色越深，留言越多。",
  legend: "每段留言數",
  seePoints: "查看意見重點",
  noDraft: "尚未上傳草案。",
  dueBy: "回應期限",
  daysLeft: (d: number) => (d >= 0 ? `尚餘 ${d} 天` : `已逾期 ${-d} 天`),
  chartStatus: "意見重點回應狀態",
  chartParagraphs: "留言最多的段落：已回應與未回應",
  chartOfficials: "各承辦人回應數",
  dueList: "尚待回應",
  nothingDue: "每個意見重點都已回應。",
  official: "承辦人",
  assigned: "負責",
  answersCount: "已回應重點",
  unansweredAssigned: "共同負責的未回應重點",
  total: "合計",
  yes: "是",
  no: "否",
  error: "發生錯誤",
};

const messages: Record<Lang, Messages> = { en, "zh-Hant": zh };
const STORAGE_KEY = "margin.console.lang";

/** Traditional Chinese for any Chinese browser language, otherwise English. */
export function preferredLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    if (/^zh\b/i.test(l)) return "zh-Hant";
    if (/^en\b/i.test(l)) return "en";
  }
  return "en";
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "en" || saved === "zh-Hant") return saved;
  } catch {
    // storage may be unavailable; fall back to the browser's language
  }
  return preferredLang(navigator.languages ?? [navigator.language]);
}

export const lang = signal<Lang>(initialLang());
export const t = computed(() => messages[lang.value]);

export function setLang(next: Lang) {
  lang.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not kept; fine for this tab
  }
}

export function formatDate(iso: string, withTime = false): string {
  return new Intl.DateTimeFormat(lang.value === "en" ? "en-GB" : "zh-TW", {
    dateStyle: "medium",
    ...(withTime ? { timeStyle: "short" } : {}),
  }).format(new Date(iso));
}
