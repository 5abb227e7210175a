import { badRequest, conflict, unprocessable, type AppError } from '../../lib/errors.js';

/** One report per project and period: corrections are revisions of the existing one. */
export function reportExists(existingReportId: string, period: string): AppError {
  return conflict('report_exists', `The project already has a report for ${period}; correct it with a new revision`, {
    existingReportId,
    location: `/v1/progress-reports/${existingReportId}`,
  });
}

export function projectNotFound(projectId: string): AppError {
  return unprocessable('project_not_found', `Project ${projectId} does not exist`, { projectId });
}

export function projectArchived(projectId: string): AppError {
  return unprocessable('project_archived', `Project ${projectId} is archived and takes no new reports`, { projectId });
}

export function periodNotStarted(period: string, periodStart: string): AppError {
  return unprocessable('period_not_started', `Period ${period} starts on ${periodStart}; a report cannot precede its period`, {
    period,
    periodStart,
  });
}

export function invalidPeriodRange(): AppError {
  return badRequest('invalid_period_range', 'periodFrom is after periodTo');
}

/** Only a submitted report is approved; a submitted or approved one may be returned. */
export function illegalReview(reviewStatus: string, decision: string): AppError {
  const allowed = reviewStatus === 'submitted' ? ['approve', 'return'] : reviewStatus === 'approved' ? ['return'] : [];
  return conflict(
    'illegal_review',
    reviewStatus === 'returned'
      ? 'A returned report is reviewed again once corrected: the department submits a new revision / 退回的报送须先更正（提交新版本）再审核'
      : `A report that is ${reviewStatus} cannot be ${decision === 'approve' ? 'approved' : 'returned'} / 该状态的报送不能执行此审核`,
    { reviewStatus, allowed },
  );
}

export function returnReasonRequired(): AppError {
  return badRequest('return_reason_required', 'A report is returned with the reason the department must correct / 退回须填写原因');
}
