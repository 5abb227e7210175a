import { AppError, conflict, unprocessable } from '../../lib/errors.js';

export function illegalStep({ from, action, allowed }: { from: string; action: string; allowed: readonly string[] }) {
  return conflict('illegal_supervision_step', `A supervision order that is ${from} cannot take the step ${action} / 督办单当前状态不允许该操作`, {
    fromStatus: from,
    action,
    allowed: [...allowed],
  });
}

export function subjectRequired() {
  return unprocessable('supervision_subject_required', 'Name exactly one of projectId, issueId or milestoneId / 须且只能指定一个督办对象（项目、问题或节点）');
}

export function replyDueBeforeIssued({ issuedOn, replyDueDate }: { issuedOn: string; replyDueDate: string }) {
  return unprocessable('reply_due_before_issued', `replyDueDate ${replyDueDate} is before issuedOn ${issuedOn} / 答复期限早于下达日期`, { issuedOn, replyDueDate });
}

export function stepBeforeLast({ on, last }: { on: string; last: string }) {
  return unprocessable('step_before_last', `The step's date ${on} is before the order's last step (${last}) / 办理日期早于上一环节`, { on, lastStepOn: last });
}

export function noteRequired(action: string) {
  return unprocessable('supervision_note_required', `The step ${action} needs a note (the fix plan, the progress or the reason) / 该环节须填写说明（整改方案、进展或理由）`, { action });
}

export function replyDueRequired() {
  return unprocessable('reply_due_required', 'Sending an order back needs a new replyDueDate on or after the step date / 退回须给出不早于退回日期的新答复期限');
}

export function notDepartmentStep(action: string) {
  return unprocessable('supervision_step_not_applicable', `replyDueDate is set only when an order is sent back, not by ${action} / 仅退回时可设定新的答复期限`, { action });
}

export function levelBelowIssuer({ level, minimum }: { level: number; minimum: number }) {
  return unprocessable('supervision_level_too_low', `A leader's order is at least level ${minimum}, not ${level} / 领导督办级别不低于${minimum}`, { level, minimum });
}

/** A key outside the order's scope: the department it is addressed to replies, its issuer decides. */
export function forbiddenStep({ role, action, side }: { role: string | null | undefined; action: string; side: 'department' | 'issuer' }) {
  const who = side === 'department' ? 'the department the order is addressed to (or the office)' : 'its issuer (the office, or the leader who issued it)';
  return new AppError({
    code: 'forbidden_scope',
    status: 403,
    title: 'Forbidden / 无权限',
    detail: `Only ${who} may take the step ${action} / ${side === 'department' ? '仅承办部门（或重点项目办）可答复' : '仅督办发起方可验收、退回或撤销'}`,
    extra: { role: role ?? null, action },
  });
}
