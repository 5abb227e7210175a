import { z } from 'zod';
import { apiKeyRole } from '../../domain/codes.js';
import { codeEnum, idSchema, timestampSchema } from '../../lib/schemas.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

export const MAX_KEY_DAYS = 365;

export const apiKeyRoleSchema = codeEnum(apiKeyRole, 'ApiKeyRole', 'What the key may do / 密钥角色');

const EXAMPLE_ID = '01860c6e-1111-7d4e-8f90-1a2b3c4d5e6f';
const EXAMPLE_DEPARTMENT = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';

export const apiKeySchema = z
  .object({
    id: idSchema,
    name: z.string().max(200).describe('What the key is for, e.g. the calling system / 用途（如调用系统名称）'),
    role: apiKeyRoleSchema,
    departmentId: idSchema.nullable().describe('The department a department key acts for / 部门密钥所属部门'),
    leaderId: idSchema.nullable().describe('The leader a leader key acts for / 领导密钥对应领导'),
    readOnly: z.boolean().describe('Narrowed to reading: every write is refused / 只读（拒绝一切写操作）'),
    lastFour: z.string().max(4).describe('Last four characters of the key, to tell keys apart / 密钥末四位（用于辨认）'),
    createdBy: z.string().max(36).describe('Id of the key that created this one, or "cli" / 创建者密钥编号（或 cli）'),
    createdAt: timestampSchema,
    expiresAt: timestampSchema.describe('After this instant the key is refused / 到期时间'),
    revokedAt: timestampSchema.nullable().describe('When it was revoked; refused from then on / 吊销时间'),
    lastUsedAt: timestampSchema
      .nullable()
      .describe('Last successful use, to the minute / 最近使用时间（精确到分钟）'),
  })
  .meta({
    id: 'ApiKey',
    description: 'An API key, without its secret: the key itself is shown once, at creation / 接口密钥（不含密钥本身，密钥仅在创建时显示一次）',
    example: {
      id: EXAMPLE_ID,
      name: '住建局 进度报送系统',
      role: 'department',
      departmentId: EXAMPLE_DEPARTMENT,
      leaderId: null,
      readOnly: false,
      lastFour: 'x9Qa',
      createdBy: 'cli',
      createdAt: '2022-01-05T02:00:00.000Z',
      expiresAt: '2023-01-05T02:00:00.000Z',
      revokedAt: null,
      lastUsedAt: '2022-03-15T06:31:00.000Z',
    },
  });

export const createdApiKeySchema = apiKeySchema
  .extend({
    key: z
      .string()
      .max(45) // kpo_live_ + 30 random + 6 checksum characters (api-keys.token.ts)
      .describe('The key. Shown this once and never again: store it in the calling system\'s secret store / 密钥本身，仅此一次显示，请存入调用系统的密钥库'),
  })
  .meta({
    id: 'CreatedApiKey',
    description: 'A new API key with its secret, shown once / 新建的接口密钥（含密钥，仅显示一次）',
    example: {
      ...(z.globalRegistry.get(apiKeySchema)?.example as object),
      lastUsedAt: null,
      key: 'kpo_live_4QqC2mYh9Vt7RbXw1KpZs3NdLf8Gj60ex9Qa',
    },
  });

export const createApiKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('What the key is for, e.g. the calling system / 用途（如调用系统名称）'),
    role: apiKeyRoleSchema,
    departmentId: idSchema.optional().describe('Required for, and only for, a department key / 部门密钥必填（仅部门密钥）'),
    leaderId: idSchema.optional().describe('Required for, and only for, a leader key / 领导密钥必填（仅领导密钥）'),
    readOnly: z.boolean().default(false).describe('Narrow the key to reading / 限定为只读'),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_KEY_DAYS)
      .default(MAX_KEY_DAYS)
      .describe('Days until the key expires; default and maximum 365 / 有效天数（默认且最多365天）'),
  })
  .meta({
    id: 'ApiKeyCreate',
    description: 'A key to make; department and leader keys name what they are bound to / 新建密钥（部门、领导密钥须指明所属）',
    example: { name: '住建局 进度报送系统', role: 'department', departmentId: EXAMPLE_DEPARTMENT, expiresInDays: 365 },
  });

export const listApiKeysQuerySchema = z.strictObject({
  ...pageQueryShape,
  role: apiKeyRoleSchema.optional().describe('Only keys of this role / 仅此角色'),
  includeRevoked: z.enum(['true', 'false']).default('false').describe('Also list revoked keys / 包括已吊销的密钥'),
});

export const apiKeyPageSchema = pageSchema(apiKeySchema, 'ApiKeyPage');

export type CreateApiKey = z.infer<typeof createApiKeySchema>;
export type ListApiKeysQuery = z.infer<typeof listApiKeysQuerySchema>;
