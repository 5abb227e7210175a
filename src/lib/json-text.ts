/**
 * What a JSON request body may be, checked on the text before anything walks the parsed value: the
 * idempotency hash, zod and the handlers recurse over bodies, so depth and breadth are bounded here,
 * once, for every JSON body. The limits sit far above any body the API documents (the deepest is an
 * import row: three levels) and the widest array is an import's rows.
 */
export const JSON_LIMITS = {
  /** Nesting of objects and arrays. */
  depth: 32,
  /** Members of one object: every request object has a few dozen fields at most. */
  keys: 1000,
  /** Elements of one array: an import takes up to 100 000 rows (IMPORT_ROWS_MAX). */
  elements: 100_000,
} as const;

export type JsonTextProblem =
  | { code: 'json_too_deep'; path: string; limit: number }
  | { code: 'json_too_wide'; path: string; limit: number }
  | { code: 'duplicate_key'; path: string }
  | { code: 'forbidden_key'; path: string }
  | { code: 'lone_surrogate'; path: string };

interface Frame {
  object: boolean;
  count: number;
  keys?: Set<string>;
  /** The member or element being read, for a problem's JSON pointer. */
  segment: string;
}

const pointerOf = (stack: Frame[]) => (stack.length === 0 ? '/' : stack.map((f) => `/${f.segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));

const QUOTE = 0x22;
/** The next quote or backslash: a string's other characters need no look. */
const SPECIAL = /["\\]/g;

function hexAt(text: string, at: number): number {
  const hex = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : -1;
}

/**
 * Reads the string starting at the quote `at`; returns the index after its closing quote, or -1 when
 * it holds a \u escape of half a surrogate pair (JSON.parse would make a string that is not valid
 * Unicode, and the database would store U+FFFD in its place).
 */
function endOfString(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    SPECIAL.lastIndex = i;
    if (!SPECIAL.test(text)) return text.length; // unterminated: JSON.parse already refused it
    i = SPECIAL.lastIndex - 1;
    if (text.charCodeAt(i) === QUOTE) return i + 1;
    if (text.charCodeAt(i + 1) !== 0x75 /* u */) {
      i += 2;
      continue;
    }
    const unit = hexAt(text, i + 2);
    if (unit >= 0xdc00 && unit <= 0xdfff) return -1;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = text.startsWith('\\u', i + 6) ? hexAt(text, i + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff) return -1;
      i += 12;
      continue;
    }
    i += 6;
  }
}

/**
 * Checks the text of a JSON document that JSON.parse accepted: depth, members per object, elements
 * per array, duplicate member names (JSON.parse keeps the last, so `{"role":"viewer","role":"office"}`
 * would be read as office), `__proto__` members, and \u escapes of lone surrogates. One pass, no
 * recursion, so a body nested thousands deep costs a loop, not a stack.
 */
export function checkJsonText(text: string, limits: typeof JSON_LIMITS = JSON_LIMITS): JsonTextProblem | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  const startValue = (): JsonTextProblem | undefined => {
    const top = stack[stack.length - 1];
    if (!top || top.object) return undefined;
    top.segment = String(top.count);
    top.count += 1;
    if (top.count > limits.elements) return { code: 'json_too_wide', path: pointerOf(stack), limit: limits.elements };
    return undefined;
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const wide = startValue();
      if (wide) return wide;
      if (stack.length >= limits.depth) return { code: 'json_too_deep', path: pointerOf(stack), limit: limits.depth };
      stack.push(c === '{' ? { object: true, count: 0, keys: new Set(), segment: '' } : { object: false, count: 0, segment: '' });
      expectKey = c === '{';
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
      i++;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1]?.object ?? false;
      i++;
    } else if (c === ':') {
      expectKey = false;
      i++;
    } else if (c === '"') {
      const end = endOfString(text, i);
      const top = stack[stack.length - 1];
      if (end < 0) {
        if (!(expectKey && top)) {
          const wide = startValue();
          if (wide) return wide;
        }
        return { code: 'lone_surrogate', path: pointerOf(stack) };
      }
      if (expectKey && top) {
        const raw = text.slice(i + 1, end - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
        top.segment = key;
        top.count += 1;
        if (top.count > limits.keys) return { code: 'json_too_wide', path: pointerOf(stack), limit: limits.keys };
        if (key === '__proto__') return { code: 'forbidden_key', path: pointerOf(stack) };
        if (top.keys!.has(key)) return { code: 'duplicate_key', path: pointerOf(stack) };
        top.keys!.add(key);
      } else {
        const wide = startValue();
        if (wide) return wide;
      }
      i = end;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else {
      // A number, true, false or null: runs to the next delimiter.
      const wide = startValue();
      if (wide) return wide;
      i++;
      while (i < text.length && !',]} \t\n\r'.includes(text[i]!)) i++;
    }
  }
  return undefined;
}
