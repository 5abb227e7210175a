import { boolean, check, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { warningRuleKeys, type WarningRuleKey } from './warnings.rules.js';
import { scheduleBasis } from '../../domain/codes.js';

/**
 * 红黄绿灯规则: the thresholds of each warning rule, kept as data so the office can tune them
 * without a release. What a rule measures is code (warnings.rules.ts); how far is too far is here.
 * A null red threshold means the rule never turns red.
 */
export const warningRules = pgTable(
  'warning_rules',
  {
    id: idColumn(),
    key: text('key').$type<WarningRuleKey>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    yellowThreshold: numeric('yellow_threshold', { precision: 12, scale: 4 }).notNull(),
    redThreshold: numeric('red_threshold', { precision: 12, scale: 4 }),
    descriptionZh: text('description_zh').notNull(),
    descriptionEn: text('description_en').notNull(),
    /** behind_schedule only: what investment is measured against (scheduleBasis); the other rules ignore it. */
    schedule: text('schedule').$type<(typeof scheduleBasis.values)[number]>().notNull().default('elapsed_time'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('warning_rules_key_key').on(t.key),
    check('warning_rules_key_check', oneOf(t.key, warningRuleKeys)),
    check('warning_rules_schedule_check', oneOf(t.schedule, scheduleBasis.values)),
    check('warning_rules_thresholds_check', sql`${t.yellowThreshold} >= 0 and (${t.redThreshold} is null or ${t.redThreshold} > ${t.yellowThreshold})`),
  ],
);
