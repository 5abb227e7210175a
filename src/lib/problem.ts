import { z } from 'zod';

/**
 * How long a problem's parts may be. Codes, titles and types are ours and short; the request id is
 * X-Request-Id (≤128, src/app.ts) or a UUID. What can echo the request (the path in `instance` and in
 * a 404's detail, a value quoted in a message, the list of failing fields) is cut to these lengths by
 * src/plugins/errors.ts before it is sent, so the limits below hold for every problem.
 */
export const problemLimits = {
  /** Validation errors listed; `detail` still counts them all. */
  errors: 100,
  detail: 2000,
  instance: 2000,
  path: 1000,
  message: 1000,
} as const;

/** Cuts `text` to `max` characters, ending in … when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const problemSchema = z
  .object({
    type: z.string().max(120).describe('A URI naming the kind of problem / 问题类型 URI'),
    title: z.string().max(200).describe('Short summary, English and Chinese / 简要说明'),
    status: z.number().int().min(400).max(599).describe('HTTP status code / HTTP 状态码'),
    detail: z.string().max(problemLimits.detail).optional().describe('What went wrong with this request / 本次请求的具体问题'),
    instance: z.string().max(problemLimits.instance).optional().describe('The request path / 请求路径'),
    code: z.string().max(100).describe('Stable machine-readable code / 稳定的错误代码'),
    requestId: z.string().max(128).optional().describe('Request id, also in the X-Request-Id header / 请求编号'),
    errors: z
      .array(
        z.object({
          location: z.enum(['body', 'querystring', 'params', 'headers']).describe('Where the field is / 字段所在位置'),
          path: z.string().max(problemLimits.path).describe('JSON pointer to the field, e.g. /plans/0/year / 字段路径'),
          message: z.string().max(problemLimits.message).describe('What is wrong / 错误说明'),
        }),
      )
      .max(problemLimits.errors)
      .optional()
      .describe(
        `The failing fields, for validation errors: the first ${problemLimits.errors} (detail counts them all) / 校验失败的字段（最多前 ${problemLimits.errors} 个，总数见 detail）`,
      ),
  })
  .catchall(z.unknown())
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details (application/problem+json) / 错误响应（RFC 9457）',
    example: {
      type: 'urn:kpo:problem:validation_failed',
      title: 'Validation failed / 参数校验失败',
      status: 400,
      detail: 'The request has 1 invalid field',
      instance: '/v1/projects',
      code: 'validation_failed',
      requestId: '0f8c7d1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
      errors: [{ location: 'body', path: '/estimatedInvestment', message: 'Invalid string: must match pattern' }],
    },
  });

export type Problem = z.infer<typeof problemSchema>;

const statusText: Record<number, string> = {
  400: 'Bad request / 请求无效',
  401: 'Unauthorized / 未认证',
  403: 'Forbidden / 无权限',
  404: 'Not found / 不存在',
  409: 'Conflict / 冲突',
  412: 'Precondition failed / 前置条件失败',
  413: 'Payload too large / 请求体过大',
  415: 'Unsupported media type / 不支持的媒体类型',
  422: 'Unprocessable / 无法处理',
  428: 'Precondition required / 需要前置条件',
  429: 'Too many requests / 请求过多',
  500: 'Internal error / 内部错误',
  503: 'Service unavailable / 服务不可用',
};

export function titleFor(status: number): string {
  return statusText[status] ?? `HTTP ${status}`;
}

/** The problem+json responses a route declares, keyed by status code (500 is always possible). */
export function problemResponses(...statuses: number[]) {
  const all = [...new Set([...statuses, 500])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((s) => [s, { description: titleFor(s), content: { 'application/problem+json': { schema: problemSchema } } }]),
  ) as Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}
