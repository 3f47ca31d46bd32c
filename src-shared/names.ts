/**
 * The one rule for people's names, wherever a name enters the library (rename, move to a new person, XMP
 * import) or leaves it (XMP sidecars, export folders): a name is text for people, never markup or terminal
 * control.
 *
 * - Runs of tabs, line breaks and Unicode line/paragraph separators become one space (a pasted "Ann\nLee" reads
 *   as "Ann Lee"); every other C0/C1 control character (NUL, ESC, DEL, U+0080..U+009F) is removed: they are
 *   invisible, break strict XML parsers (XML 1.0 forbids most of them) and drive terminals.
 * - Bidi embedding/override/isolate characters (U+202A..U+202E, U+2066..U+2069) are removed: they reorder
 *   the text around them ("Trojan Source"), so a name could display as something else in a list, a folder
 *   name or a log line. The implicit marks LRM/RLM/ALM stay (they only affect neutral characters).
 * - Characters XML 1.0 cannot carry (lone surrogates, U+FFFE, U+FFFF) are removed.
 * - NFC composition (so "Zoë" typed on macOS and on Linux is one name), ends trimmed, at most NAME_MAX_LENGTH
 *   characters (never cutting a character or an accent off its letter). Inner spaces, including no-break
 *   spaces, are the user's and stay.
 *
 * Pure and idempotent: cleanName(cleanName(s)) === cleanName(s). An empty result means "no name".
 */

/** Longest name kept, in user-perceived characters. */
export const NAME_MAX_LENGTH = 200;

const TO_SPACE = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
/** Lone surrogates and the two non-characters XML 1.0 excludes from its Char production. */
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function cleanName(text: string, maxLength = NAME_MAX_LENGTH): string {
  let s = text
    .replace(NOT_XML, '')
    .normalize('NFC')
    .replace(TO_SPACE, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI, '')
    .trim();
  if (s.length > maxLength) {
    let out = '';
    let n = 0;
    for (const { segment } of segmenter.segment(s)) {
      if (n++ >= maxLength) break;
      out += segment;
    }
    s = out.trim();
  }
  return s;
}

/**
 * True when a name is longer than NAME_MAX_LENGTH characters once cleaned: entry points refuse such a name
 * rather than silently cutting what the user typed.
 */
export function isNameTooLong(text: string): boolean {
  let n = 0;
  for (const _ of segmenter.segment(cleanName(text, Number.POSITIVE_INFINITY))) {
    if (++n > NAME_MAX_LENGTH) return true;
  }
  return false;
}

/** True when `text` would change under cleanName (for callers that refuse instead of cleaning). */
export function isCleanName(text: string): boolean {
  return cleanName(text) === text;
}

/**
 * Text for a terminal line: C0/C1 controls, DEL and bidi controls shown as visible escapes (`\x1b`,
 * `\u202e`) so that no byte from a file or a name can move the cursor, recolour, retitle the window or
 * reorder the line. Backslashes are left alone (Windows paths stay readable). `keepNewlines` leaves line
 * feeds (for multi-line messages such as a usage text or a stack).
 */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => {
    if (c === '\n' && options.keepNewlines) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text that XML 1.0 can carry: every character outside its Char production (controls other than tab, LF
 * and CR; lone surrogates; U+FFFE/U+FFFF) is dropped. For values written into XMP.
 */
export function xmlSafeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(NOT_XML, '');
}
