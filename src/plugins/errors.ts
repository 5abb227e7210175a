import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.js';
import { clip, problemLimits, titleFor, type Problem } from '../lib/problem.js';
import { translateDatabaseError } from '../db/pg-errors.js';
import { BASELINE_HEADERS } from './security-headers.js';
import { fieldErrors, type ValidationIssue } from './validation-messages.js';

type Location = 'body' | 'querystring' | 'params' | 'headers';

interface ProblemInput {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { location: Location; path: string; message: string }[];
  /** An AppError's extra members (e.g. an import's rows). */
  [member: string]: unknown;
}

/** A problem's body, cut to the lengths its schema documents (src/lib/problem.ts, problemLimits). */
function problemBody(request: FastifyRequest, problem: ProblemInput): Problem {
  const { detail, errors, ...rest } = problem;
  const body = {
    type: `urn:kpo:problem:${problem.code}`,
    instance: clip(request.url.split('?')[0] ?? request.url, problemLimits.instance),
    requestId: request.id,
    ...rest,
    ...(detail === undefined ? {} : { detail: clip(detail, problemLimits.detail) }),
    ...(errors === undefined
      ? {}
      : {
          errors: errors.slice(0, problemLimits.errors).map((e) => ({
            location: e.location,
            path: clip(e.path, problemLimits.path),
            message: clip(e.message, problemLimits.message),
          })),
        }),
  } satisfies Problem;
  return body;
}

function send(reply: FastifyReply, request: FastifyRequest, problem: ProblemInput) {
  return reply.status(problem.status).type('application/problem+json').send(problemBody(request, problem));
}

const appProblem = (error: AppError): ProblemInput => ({ ...error.extra, status: error.status, code: error.code, title: error.title, detail: error.message });

/**
 * An AppError as the error handler would answer it, for a hook past the point where a thrown error
 * still reaches that handler (onSend after an error was answered: Fastify then hands a second error to
 * its own fallback handler, not ours).
 */
export function problemText(request: FastifyRequest, error: AppError): string {
  return JSON.stringify(problemBody(request, appProblem(error)));
}

const fastifyCodes: Record<string, { status: number; code: string; detail?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', detail: 'Send the body as application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
};

/**
 * Errors Fastify raises before routing, which bypass the error handler: a malformed percent-escape
 * in the path (FST_ERR_BAD_URL) or a path segment over the router's length limit
 * (FST_ERR_MAX_PARAM_LENGTH, which no id ever reaches). Both are a bad parameter: 400 problem+json.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  reply.headers(BASELINE_HEADERS);
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    send(reply, request, { status: 400, code: 'invalid_url', title: titleFor(400), detail: 'The path has a malformed percent-escape or a segment too long to be valid' });
    return;
  }
  request.log.error({ err: error }, 'request failed before routing');
  send(reply, request, {
    status: 500,
    code: 'internal_error',
    title: titleFor(500),
    detail: `An unexpected error occurred; quote request id ${request.id} when reporting it`,
  });
}

/** Whether the error is the request stream's own: the client closed the connection before sending all of it. */
function isClientAbort(error: FastifyError, request: FastifyRequest): boolean {
  return request.raw.errored === error || (error.code === 'ECONNRESET' && error.message === 'aborted');
}

/** One error handler for the whole app: every 4xx and 5xx leaves as RFC 9457 problem+json. */
export const errorsPlugin = fp(
  async function errors(app) {
    app.setNotFoundHandler((request, reply) =>
      send(reply, request, {
        status: 404,
        code: 'route_not_found',
        title: titleFor(404),
        detail: `No route ${request.method} ${request.url.split('?')[0]}`,
      }),
    );

    app.setErrorHandler((rawError: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(rawError)) {
        const location = (rawError.validationContext ?? 'body') as Location;
        const errors = fieldErrors(rawError.validation as ValidationIssue[], location);
        return send(reply, request, {
          status: 400,
          code: 'validation_failed',
          title: 'Validation failed / 参数校验失败',
          detail: `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'} / 请求中有 ${errors.length} 个字段无效`,
          errors,
        });
      }
      // A client that hung up mid-body: its ECONNRESET is no database fault (and nobody is left to
      // read an answer). The request log writes the abort line and counts it (src/plugins/request-log.ts).
      if (isClientAbort(rawError, request)) {
        return send(reply, request, { status: 400, code: 'client_aborted', title: titleFor(400), detail: 'The client closed the connection before its request was complete' });
      }
      const error = translateDatabaseError(rawError);
      if (error instanceof AppError) {
        if (error.status >= 500) request.log.error({ err: rawError }, error.message);
        if (error.status === 503) reply.header('retry-after', '5');
        return send(reply, request, appProblem(error));
      }
      const known = fastifyCodes[rawError.code];
      const status = known?.status ?? rawError.statusCode ?? 500;
      if (status < 500 && !isResponseSerializationError(rawError)) {
        return send(reply, request, {
          status,
          code: known?.code ?? rawError.code?.toLowerCase() ?? 'bad_request',
          title: titleFor(status),
          detail: known?.detail ?? rawError.message,
        });
      }
      // 5xx: the log keeps the cause with the request id; the body shows nothing internal.
      request.log.error({ err: rawError }, 'request failed');
      return send(reply, request, {
        status: 500,
        code: 'internal_error',
        title: titleFor(500),
        detail: `An unexpected error occurred; quote request id ${request.id} when reporting it`,
      });
    });
  },
  { name: 'errors' },
);
