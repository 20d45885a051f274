import type { Locale, Words } from "@margin/ui";

/**
 * Words only the extension's popup and options pages use: kept out of @margin/ui, whose
 * catalogue the widget's sidebar carries too (it has a 60 KB budget).
 */
const en = {
  langAuto: "Browser language",
  serviceUrl: "Service address",
  thisSite: "This site",
  turnOn: "Turn Margin on for this site",
  turnOff: "Turn Margin off for this site",
  isOn: "Margin is on for this site.",
  notAWebPage: "This tab is not a web page.",
  allowConsultations: "Allow Margin on the sites of registered consultations",
  myComments: "My comments",
  noMine: "You have not commented yet.",
  denied: "The browser did not grant access.",
  sites: "Sites Margin is on",
};

const zh: typeof en = {
  langAuto: "依瀏覽器語言",
  serviceUrl: "服務網址",
  thisSite: "此網站",
  turnOn: "在此網站啟用 Margin",
  turnOff: "在此網站停用 Margin",
  isOn: "Margin 已在此網站啟用。",
  notAWebPage: "此分頁不是網頁。",
  allowConsultations: "允許 Margin 在已登記徵詢案的網站上執行",
  myComments: "我的意見",
  noMine: "您尚未提出意見。",
  denied: "瀏覽器未授予權限。",
  sites: "已啟用 Margin 的網站",
};

export type PageWords = Words & typeof en;

const page: Record<Locale, typeof en> = { en, "zh-Hant": zh };

export function pageWords(words: Words, locale: Locale): PageWords {
  return { ...words, ...page[locale] };
}
