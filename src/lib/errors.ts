/**
 * A failure with a stable machine code and an HTTP status. Modules declare theirs in
 * `<domain>.errors.ts`; the error plugin renders them as RFC 9457 problem+json.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly extra: Record<string, unknown>;

  constructor(options: { code: string; status: number; title: string; detail?: string; extra?: Record<string, unknown> }) {
    super(options.detail ?? options.title);
    this.name = 'AppError';
    this.code = options.code;
    this.status = options.status;
    this.title = options.title;
    this.extra = options.extra ?? {};
  }
}

export function notFound(resource: string, id: string): AppError {
  return new AppError({
    code: 'not_found',
    status: 404,
    title: 'Resource not found / 资源不存在',
    detail: `${resource} ${id} does not exist`,
  });
}

export function preconditionRequired(): AppError {
  return new AppError({
    code: 'precondition_required',
    status: 428,
    title: 'If-Match header required / 需要 If-Match 请求头',
    detail: 'Send the ETag you read in an If-Match header so that concurrent edits cannot overwrite each other',
  });
}

export function preconditionFailed(currentEtag: string): AppError {
  return new AppError({
    code: 'precondition_failed',
    status: 412,
    title: 'The resource has changed / 资源已被修改',
    detail: 'The If-Match ETag is stale: read the resource again and reapply your change',
    extra: { currentEtag },
  });
}

export function badRequest(code: string, detail: string, extra?: Record<string, unknown>): AppError {
  return new AppError({ code, status: 400, title: 'Bad request / 请求无效', detail, ...(extra ? { extra } : {}) });
}

export function conflict(code: string, detail: string, extra?: Record<string, unknown>): AppError {
  return new AppError({ code, status: 409, title: 'Conflict / 冲突', detail, ...(extra ? { extra } : {}) });
}

export function unprocessable(code: string, detail: string, extra?: Record<string, unknown>): AppError {
  return new AppError({ code, status: 422, title: 'Unprocessable request / 无法处理的请求', detail, ...(extra ? { extra } : {}) });
}

/** A field only the office (office and admin keys) may set, sent by another role: 403 naming it. */
export function officeOnlyField(field: string, role: string | null | undefined): AppError {
  return new AppError({
    code: 'office_only_field',
    status: 403,
    title: 'Forbidden / 无权限',
    detail: `Only the key-project office sets ${field}; a ${role ?? 'caller'} key may not / 仅重点项目办可设置 ${field}`,
    extra: { field, role: role ?? null },
  });
}

/** Whether a role writes as the office does (every field of every record). */
export function writesAsOffice(role: string | null | undefined): boolean {
  return role === 'admin' || role === 'office';
}
