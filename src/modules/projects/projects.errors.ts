import { conflict, unprocessable, type AppError } from '../../lib/errors.js';

export function illegalTransition(from: string, to: string, allowed: readonly string[]): AppError {
  return conflict(
    'illegal_transition',
    allowed.length === 0
      ? `A ${from} project is in a terminal status and cannot move to ${to}`
      : `A ${from} project cannot move to ${to}; allowed: ${allowed.join(', ')}`,
    { fromStatus: from, toStatus: to, allowed },
  );
}

export function effectiveDateBeforePrevious(effectiveDate: string, previousEffectiveDate: string): AppError {
  return unprocessable(
    'effective_date_before_previous',
    `effectiveDate ${effectiveDate} is before the previous status change (${previousEffectiveDate}); history is kept in date order`,
    { previousEffectiveDate },
  );
}

export function projectArchived(id: string): AppError {
  return conflict('project_archived', `Project ${id} is archived and can no longer change`);
}

export function departmentArchived(departmentId: string): AppError {
  return unprocessable('department_archived', `Department ${departmentId} is archived and takes no new projects`, { departmentId });
}

export function supportingIsResponsible(departmentId: string): AppError {
  return unprocessable(
    'supporting_is_responsible',
    `Department ${departmentId} is the responsible department; it cannot also be listed as supporting`,
    { departmentId },
  );
}
