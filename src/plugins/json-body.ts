import fp from 'fastify-plugin';
import { AppError, badRequest } from '../lib/errors.js';
import { checkJsonText, type JsonTextProblem } from '../lib/json-text.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function unsupportedCharset(charset: string): AppError {
  return new AppError({
    code: 'unsupported_charset',
    status: 415,
    title: 'Unsupported media type / 不支持的媒体类型',
    detail: `JSON bodies are UTF-8 only (RFC 8259), not ${charset.slice(0, 40)}: send Content-Type: application/json or application/json; charset=utf-8 / 请求体须为 UTF-8 编码的 JSON`,
    extra: { charset: charset.slice(0, 40) },
  });
}

const messages: Record<JsonTextProblem['code'], (limit?: number) => string> = {
  json_too_deep: (limit) => `Nested deeper than ${limit} levels / 嵌套层数超过 ${limit} 层`,
  json_too_wide: (limit) => `More than ${limit} members or elements in one object or array / 单个对象或数组的成员超过 ${limit} 个`,
  duplicate_key: () => 'This member appears twice in the same object / 同一对象中该字段重复出现',
  forbidden_key: () => 'A member named __proto__ is not accepted / 不接受名为 __proto__ 的字段',
  lone_surrogate: () => 'A \\u escape names half of a surrogate pair, which is not a Unicode character / \\u 转义为不成对的代理项，不是有效的 Unicode 字符',
};

function refused(problem: JsonTextProblem): AppError {
  const limit = 'limit' in problem ? problem.limit : undefined;
  const message = messages[problem.code](limit);
  return badRequest(problem.code, `The JSON body is refused at ${problem.path}: ${message}`, {
    ...(limit === undefined ? {} : { limit }),
    errors: [{ location: 'body', path: problem.path, message }],
  });
}

/** The charset parameter of a Content-Type, lower-cased; undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

/** Reads a JSON body as RFC 8259 says it is exchanged, or throws the problem that says why not. */
export function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  const charset = charsetOf(contentType);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw unsupportedCharset(charset);
  if (body.length === 0) throw badRequest('empty_body', 'The JSON body is empty / 请求体为空');
  let text: string;
  try {
    text = utf8.decode(body); // a leading byte-order mark is dropped, as RFC 8259 allows
  } catch {
    throw badRequest('invalid_utf8', 'The body is not valid UTF-8 / 请求体不是有效的 UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest('invalid_json', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)} / 请求体不是有效的 JSON`);
  }
  const problem = checkJsonText(text);
  if (problem) throw refused(problem);
  return value;
}

/**
 * Replaces Fastify's JSON parser for every route: UTF-8 only (another charset is a 415), no invalid
 * bytes, no lone surrogates, no duplicate members, and depth and breadth bounded (src/lib/json-text.ts)
 * before any hook, validator or handler walks the value.
 */
export const jsonBodyPlugin = fp(
  async function jsonBody(app) {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      try {
        done(null, parseJsonBody(body as Buffer, request.headers['content-type']));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  },
  { name: 'json-body' },
);
