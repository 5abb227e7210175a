import { z } from 'zod';

type Location = 'body' | 'querystring' | 'params' | 'headers';

/** One failing field as fastify-type-provider-zod hands it over: a zod issue without its path. */
export interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export interface FieldError {
  location: Location;
  path: string;
  message: string;
}

const zhCN = z.locales.zhCN().localeError;
const CJK = /[\u3400-\u9fff]/;
const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: '空值 (null)',
  undefined: '未提供',
  date: '日期',
  bigint: '整数',
};

/** The Chinese of a zod issue, from zod's own zh-CN locale (the English is zod's default, already in the message). */
function chineseOf(issue: ValidationIssue): string {
  const params = issue.params ?? {};
  if (issue.keyword === 'invalid_type') {
    // The issue no longer holds its input: what was received is read from the English message.
    const expected = String(params.expected ?? '');
    const received = /received (\w+)/.exec(issue.message ?? '')?.[1];
    return `无效输入：期望${TYPE_ZH[expected] ?? expected}${received ? `，实际为${TYPE_ZH[received] ?? received}` : ''}`;
  }
  try {
    const text = zhCN({ code: issue.keyword, ...params } as Parameters<typeof zhCN>[0]);
    return typeof text === 'string' ? text : (text?.message ?? '无效值');
  } catch {
    return '无效值';
  }
}

const pointer = (base: string, key: string) => `${base === '/' ? '' : base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The failing fields of a validation error, each in English and Chinese ("Invalid UUID / 无效UUID";
 * a message a schema wrote in both languages is kept as it is). An unknown field is reported at its
 * own path (`/foo`, not the object's `/`), one entry per field, so that a form can mark it.
 */
export function fieldErrors(issues: ValidationIssue[], location: Location): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const path = issue.instancePath || '/';
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys)) {
      return (issue.params.keys as string[]).map((key) => ({
        location,
        path: pointer(path, key),
        message: `Unknown field "${key}": it is not accepted here / 未知字段 "${key}"：此处不接受该字段`,
      }));
    }
    const english = issue.message ?? 'Invalid value';
    return [{ location, path, message: CJK.test(english) ? english : `${english} / ${chineseOf(issue)}` }];
  });
}
