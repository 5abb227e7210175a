import { badRequest } from '../../lib/errors.js';

/**
 * The person a calling system names as acting (X-Actor): recorded in the audit trail, never trusted
 * for access. Header values are bytes that Node reads as Latin-1, so a Chinese name sent as UTF-8
 * arrives as mojibake; it is taken back to its bytes and read as UTF-8. Two ways to send a name:
 * - `X-Actor: 王科长` — the UTF-8 bytes as they are (what most HTTP clients send for a non-ASCII value);
 * - `X-Actor*: UTF-8''%E7%8E%8B%E7%A7%91%E9%95%BF` — RFC 8187's ext-value, for clients that keep
 *   header values ASCII. When both are sent, X-Actor* wins (as RFC 8187 says of `name*`).
 * A name of letters, digits, spaces and . _ @ : - (any script), 1 to 100 characters; anything else is
 * a 400 `invalid_actor` rather than a name stored garbled or dropped.
 */
const NAME = /^[\p{L}\p{M}\p{N} ._@:·-]{1,100}$/u;
const EXT_VALUE = /^UTF-8'[A-Za-z0-9-]*'((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+.^_`|~-])+)$/i;

function invalid(detail: string): never {
  throw badRequest('invalid_actor', `${detail} / X-Actor 应为1–100个字符的人名（字母、数字、空格及 . _ @ : -），UTF-8 编码`, { parameter: 'X-Actor' });
}

function utf8(bytes: Buffer, header: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return invalid(`${header} is not valid UTF-8`);
  }
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The X-Actor name of a request, null when none is sent; throws 400 for one that is not a name. */
export function actorOf(headers: Record<string, string | string[] | undefined>): string | null {
  const extended = one(headers['x-actor*']);
  const plain = one(headers['x-actor']);
  let name: string;
  if (extended !== undefined) {
    const match = EXT_VALUE.exec(extended.trim());
    if (!match) invalid("X-Actor* must be an RFC 8187 ext-value, UTF-8''<percent-encoded name>");
    name = utf8(Buffer.from(match[1]!.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1'), 'X-Actor*');
  } else if (plain !== undefined) {
    // A character above U+00FF cannot come off the wire (Node reads bytes as Latin-1): the value is
    // text already (an in-process request), not bytes to decode.
    name = /[^\u0000-\u00ff]/.test(plain) ? plain : utf8(Buffer.from(plain, 'latin1'), 'X-Actor');
  } else {
    return null;
  }
  name = name.trim();
  if (!NAME.test(name)) invalid('X-Actor must be a name of 1 to 100 letters, digits, spaces or . _ @ : -');
  return name;
}
