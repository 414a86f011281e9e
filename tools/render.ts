/**
 * Moved to render/ (one module per concern). This re-export keeps `../tools/render` imports on other
 * branches compiling until they are merged; import from `../render` (or a module in it) instead.
 * @deprecated
 */
export * from "../render";
