/**
 * Characters that must not reach a terminal or a rendered page as they are:
 * C0 controls (ESC starts a terminal escape sequence; a newline can forge a
 * line of output), DEL, C1 controls (U+009B is a one-character CSI on some
 * terminals), line and paragraph separators, and the bidirectional controls
 * that reorder what a reviewer sees ("Trojan Source").
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every unsafe character written as an escape a reader can see:
 * `\x1b`, `\n`, `\u202e`. For anything echoed from a manifest or a server
 * (keys, values, file names, problem details) in a message or a plan.
 */
export function escapeControl(text: string): string {
  if (!hasUnsafe(text)) return text;
  return text.replace(unsafe, (character) => {
    const code = character.charCodeAt(0);
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    if (character === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Whether `text` holds a character `escapeControl` would rewrite. */
export function hasUnsafe(text: string): boolean {
  unsafe.lastIndex = 0;
  const found = unsafe.test(text);
  unsafe.lastIndex = 0;
  return found;
}

/**
 * JSON text with the unsafe characters JSON.stringify leaves as they are
 * (above U+001F) written as `\uXXXX`: still the same JSON, inert on a terminal.
 */
export function escapeJsonText(json: string): string {
  // C0 inside strings is escaped by JSON.stringify already; the newlines left are the layout's own.
  return json.replace(unsafeBeyondC0, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const unsafeBeyondC0 = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
