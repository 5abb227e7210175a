import { sql } from 'drizzle-orm';
import { boolean, check, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { assessmentRule } from '../../domain/codes.js';

export type AssessmentRuleKey = (typeof assessmentRule.values)[number];

/**
 * 考核规则: how many points each thing a department is assessed on is worth, kept as data so the
 * office can weigh them without a release. What a rule counts is code (assessment.rules.ts).
 */
export const assessmentRules = pgTable(
  'assessment_rules',
  {
    id: idColumn(),
    key: text('key').$type<AssessmentRuleKey>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** A share rule: the points of a full share; a deduction rule: the points taken per item. */
    points: numeric('points', { precision: 8, scale: 2 }).notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('assessment_rules_key_key').on(t.key),
    check('assessment_rules_key_check', oneOf(t.key, assessmentRule.values)),
    check('assessment_rules_points_check', sql`${t.points} >= 0 and ${t.points} <= 100`),
  ],
);
