/**
 * The one cleaner for text people enter (the web chat, the API, the console's forms, the CLI),
 * applied at the boundary before anything is stored or looked up. It removes what PostgreSQL
 * cannot store (NUL) or what would be silently replaced (lone surrogates), other control
 * characters (C0 but tab and newline, DEL, C1), and the bidirectional embedding, override and
 * isolate characters (U+202A–U+202E, U+2066–U+2069) that make a name read backwards in an export
 * or a page. CR LF and lone CR become LF. Everything else, emoji and zero-width joiners included,
 * is kept as written. Pure, linear in the input.
 */
const HOSTILE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\p{Cs}]/gu;

/** Text with line breaks allowed (descriptions, notes): see the module comment. */
export function cleanText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(HOSTILE, '');
}

/** One line (names, titles, places): cleanText, then tabs and line breaks become spaces. */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/[\t\n]/g, ' ');
}

/** Whether a string holds anything cleanText would change (for ids, which are refused, not changed). */
export function hasHostileChars(s: string): boolean {
  return cleanText(s) !== s;
}
