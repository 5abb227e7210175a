import { z } from 'zod';
import { allCodeLists, type Label } from '../../domain/codes.js';

type ListName = keyof typeof allCodeLists;

/** Typed over allCodeLists, so a new code list cannot ship without saying what it is. */
const listDescriptions: Record<ListName, string> = {
  projectStatus: 'Project lifecycle status / 项目状态',
  projectCategory: 'Project category / 项目类别',
  planList: 'Annual list a project is on / 年度名单',
  planStage: 'Stage of a project in the year / 年度建设阶段',
  inspectionKind: 'Kind of inspection or visit / 检查类型',
  issueHandlingMode: 'How the 三办 office handles an issue / 问题办理方式',
  issueStatus: 'Issue status / 问题状态',
  issueCategory: 'Factor guarantee (要素保障) an issue is about / 问题类别（要素保障）',
  issueSource: 'Where an issue was raised / 问题来源',
  bondOutcome: 'Outcome of a special-bond application / 专项债申报结果',
  batchStatus: 'State of a groundbreaking batch / 集体开工批次状态',
  leaderRole: 'Role of a leader on a project / 挂点领导角色',
  warningLight: 'Warning light (红黄绿灯) / 预警灯色',
  warningRule: 'Warning rule / 预警规则',
  webhookEventType: 'Webhook event type / 推送事件类型',
  webhookDeliveryStatus: 'Webhook delivery state / 推送状态',
  apiKeyRole: 'Role of an API key / 接口密钥角色',
  recordType: 'Kind of record in the audit trail and the change feed / 审计与变更流中的记录类型',
  reportReviewStatus: 'Review of a progress report by the office / 进度报送审核状态',
  figureBasis: 'Which reports a figure is built from / 指标所依据的报送范围',
  milestoneKind: 'Kind of node in a project schedule (节点计划) / 项目节点类型',
  milestoneStatus: 'Where a milestone stands on a day / 节点状态',
  scheduleBasis: 'What the progress rule measures investment against / 序时进度的依据',
  supervisionLevel: 'Level of a supervision order (督办级别) / 督办级别',
  supervisionStatus: 'Where a supervision order stands / 督办单状态',
  supervisionStepKind: 'Step of a supervision order / 督办办理环节',
  supervisionSubject: 'What a supervision order is about / 督办对象',
  assessmentRule: 'What a department is assessed on (考核规则) / 部门考核规则',
};

export const codeLabelSchema = z
  .object({
    code: z.string().max(64).describe('The value the API sends and accepts / 接口使用的代码值'),
    zh: z.string().max(100).describe('Chinese label / 中文名称'),
    en: z.string().max(200).describe('English label / 英文名称'),
  })
  .meta({
    id: 'CodeLabel',
    description: 'One code of a code list with its labels / 代码及其中英文名称',
    example: { code: 'new_start', zh: '新开工', en: 'New start' },
  });

const names = Object.keys(allCodeLists) as ListName[];

const allLabels = Object.fromEntries(
  names.map((name) => [
    name,
    Object.entries(allCodeLists[name].labels as Record<string, Label>).map(([code, label]) => ({ code, zh: label.zh, en: label.en })),
  ]),
) as Record<ListName, Array<{ code: string; zh: string; en: string }>>;

export const enumsSchema = z
  .object(Object.fromEntries(names.map((name) => [name, z.array(codeLabelSchema).max(allCodeLists[name].values.length).describe(listDescriptions[name])])) as Record<
    ListName,
    z.ZodArray<typeof codeLabelSchema>
  >)
  .meta({
    id: 'Enums',
    description: 'Every code list of the API, keyed by list name, codes in their defined order / 全部代码表（按名称索引，顺序固定）',
    // The whole answer: an example of part of it would not be a valid Enums document.
    example: allLabels,
  });

export type Enums = z.infer<typeof enumsSchema>;

/** Built once: the lists are constants of the build. */
export const enums: Enums = allLabels;
