/** The name of the port a page opens to hear about its comments (no zod here: the page bundle imports it). */
export const PAGE_PORT = "margin-page";
