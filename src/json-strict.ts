/**
 * Duplicate object keys in JSON text. `JSON.parse` silently keeps the last of two equal keys
 * (`{"a": 1, "a": 2}` is `{a: 2}`), which would let a file say two things at once; mjvote's
 * readers of untrusted JSON files call {@link assertNoDuplicateKeys} on the text after it parsed.
 * @module
 */
import { FormatError } from './errors.js';

/**
 * Throws a {@link FormatError} naming the JSON path of the first duplicate key in `text`
 * (which must be valid JSON: call it after `JSON.parse` succeeded). Linear time.
 */
export function assertNoDuplicateKeys(text: string, label = '$'): void {
  type Frame = { object: boolean; keys: Set<string>; path: string; index: number; key: string | null };
  const stack: Frame[] = [];
  const pathOf = (f: Frame | undefined): string => {
    if (f === undefined) return label;
    return f.object ? `${f.path}${/^[A-Za-z_$][\w$]*$/.test(f.key ?? '') ? `.${f.key}` : `[${JSON.stringify(f.key)}]`}` : `${f.path}[${f.index}]`;
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      if (expectKey) {
        const top = stack[stack.length - 1]!;
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          top.key = key;
          throw new FormatError(pathOf(top), 'duplicate key');
        }
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push({ object: true, keys: new Set(), path: pathOf(stack[stack.length - 1]), index: 0, key: null });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ object: false, keys: new Set(), path: pathOf(stack[stack.length - 1]), index: 0, key: null });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object) expectKey = true;
      else if (top) top.index++;
    }
  }
}
