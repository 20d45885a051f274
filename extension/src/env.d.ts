/** Stylesheets imported for their side effect by the popup and options pages (bundled by Vite). */
declare module "*.css";
