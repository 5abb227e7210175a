import type { Executor } from '../../db/types.js';
import { escalationReason, supervisionOrders, supervisionOrderSteps } from '../../modules/supervision/supervision.public.js';

type Status = (typeof supervisionOrders.$inferSelect)['status'];
type Kind = (typeof supervisionOrderSteps.$inferSelect)['kind'];

interface DemoStep {
  kind: Kind;
  on: string;
  to: Status;
  note?: string;
}

/**
 * 督办单 of the demo town, each with its steps:
 * - the open, overdue approval issue of the industrial renewal project: ordered on 21 March with a
 *   reply due on the 24th, never answered, escalated on the 27th (to its leader) and on the 30th
 *   (to the town head) by the default rules (three days a level);
 * - the hub's late start: ordered on 2 March, plan replied, progress reported, accepted and closed (销号) on 11 March;
 * - the parts plant not yet started: ordered by its leader on 18 March, fix plan replied on the 24th.
 */
export const supervisionDemo = [
  {
    subject: { issue: 26 }, title: '施工许可证办理逾期督办', requirement: '问题已逾期，请于3月24日前报送办理方案及办结时限',
    leader: null, level: 1, issuedOn: '2022-03-21', replyDueDate: '2022-03-24',
    steps: [] as DemoStep[], escalations: ['2022-03-27', '2022-03-30'],
  },
  {
    subject: { milestone: 'TZ2022-N04' }, title: '智慧物流枢纽开工节点督办', requirement: '开工节点已逾期，请报送开工整改方案',
    leader: null, level: 1, issuedOn: '2022-03-02', replyDueDate: '2022-03-05',
    steps: [
      { kind: 'reply_plan', on: '2022-03-04', to: 'planned', note: '3月10日前完成施工许可并开工' },
      { kind: 'report_progress', on: '2022-03-08', to: 'in_progress', note: '施工许可证已核发，施工队伍进场' },
      { kind: 'accept', on: '2022-03-11', to: 'closed' },
    ] as DemoStep[],
    escalations: [],
  },
  {
    subject: { milestone: 'TZ2022-N05' }, title: '零部件工厂开工节点督办', requirement: '请报送开工前置条件整改方案',
    leader: 'project', level: 2, issuedOn: '2022-03-18', replyDueDate: '2022-03-25',
    steps: [{ kind: 'reply_plan', on: '2022-03-24', to: 'planned', note: '4月15日前完成用地手续，4月底开工' }] as DemoStep[],
    escalations: [],
  },
] as const;

export interface DemoSubjects {
  actor: string;
  issue(index: number): { id: string; projectId: string; departmentId: string };
  milestoneStart(projectCode: string): { id: string; projectId: string; departmentId: string; leaderId: string };
}

/** Writes the orders and their steps as the API and the escalation worker would have. */
export async function writeSupervisionDemo(tx: Executor, subjects: DemoSubjects): Promise<number> {
  for (const o of supervisionDemo) {
    const subject = 'issue' in o.subject ? { ...subjects.issue(o.subject.issue), leaderId: null } : subjects.milestoneStart(o.subject.milestone);
    let level: number = o.level;
    let status: Status = 'issued';
    let version = 1;
    const steps: (typeof supervisionOrderSteps.$inferInsert)[] = [
      { orderId: '', kind: 'issue', stepOn: o.issuedOn, fromStatus: null, toStatus: 'issued', fromLevel: null, toLevel: level, note: o.requirement, replyDueDate: o.replyDueDate, actor: subjects.actor, orderVersion: 1, createdAt: `${o.issuedOn}T02:00:00Z`, updatedAt: `${o.issuedOn}T02:00:00Z` },
    ];
    const columns: Partial<typeof supervisionOrders.$inferInsert> = {};
    let lastEscalatedOn: string | null = null;
    for (const s of o.steps) {
      steps.push({ orderId: '', kind: s.kind, stepOn: s.on, fromStatus: status, toStatus: s.to, fromLevel: level, toLevel: level, note: s.note ?? null, actor: subjects.actor, orderVersion: ++version, createdAt: `${s.on}T02:00:00Z`, updatedAt: `${s.on}T02:00:00Z` });
      status = s.to;
      if (s.kind === 'reply_plan') columns.fixPlan = s.note!;
      if (s.kind === 'report_progress') columns.progress = s.note!;
      if (s.kind === 'accept') columns.closedOn = s.on;
    }
    for (const on of o.escalations) {
      const note = escalationReason({ fromLevel: level, replyDueDate: o.replyDueDate, reference: lastEscalatedOn ?? o.replyDueDate, overdueDays: 3, today: on });
      steps.push({ orderId: '', kind: 'escalate', stepOn: on, fromStatus: status, toStatus: status, fromLevel: level, toLevel: level + 1, note, actor: 'system', orderVersion: ++version, createdAt: `${on}T01:00:00Z`, updatedAt: `${on}T01:00:00Z` });
      level++;
      lastEscalatedOn = on;
    }
    const last = steps.at(-1)!;
    const statusDate = [...o.steps].at(-1)?.on ?? o.issuedOn;
    const [row] = await tx
      .insert(supervisionOrders)
      .values({
        projectId: subject.projectId, subjectType: 'issue' in o.subject ? 'issue' : 'milestone',
        issueId: 'issue' in o.subject ? subject.id : null, milestoneId: 'milestone' in o.subject ? subject.id : null,
        departmentId: subject.departmentId, issuerLeaderId: o.leader === 'project' ? subject.leaderId : null,
        title: o.title, requirement: o.requirement, level, status, issuedOn: o.issuedOn, replyDueDate: o.replyDueDate, statusDate,
        escalationCount: o.escalations.length, lastEscalatedOn, ...columns, version,
        createdAt: `${o.issuedOn}T02:00:00Z`, updatedAt: last.createdAt!,
      })
      .returning({ id: supervisionOrders.id });
    await tx.insert(supervisionOrderSteps).values(steps.map((s) => ({ ...s, orderId: row!.id })));
  }
  return supervisionDemo.length;
}
