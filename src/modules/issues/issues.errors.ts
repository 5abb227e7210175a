import { conflict, unprocessable } from '../../lib/errors.js';

export function illegalTransition({ from, to, allowed }: { from: string; to: string; allowed: readonly string[] }) {
  return conflict('illegal_transition', `An issue that is ${from} cannot become ${to}`, { fromStatus: from, toStatus: to, allowed: [...allowed] });
}

export function resolutionRequired() {
  return unprocessable('resolution_required', 'Resolving an issue needs the resolution text and the resolvedOn date');
}

export function resolutionNotApplicable(to: string) {
  return unprocessable(
    'resolution_not_applicable',
    to === 'withdrawn' ? 'Only a resolved issue has a resolvedOn date' : `An issue becoming ${to} takes neither resolution nor resolvedOn`,
  );
}

export function resolvedBeforeRaised({ raisedOn, resolvedOn }: { raisedOn: string; resolvedOn: string }) {
  return unprocessable('resolved_before_raised', `resolvedOn ${resolvedOn} is before the day the issue was raised (${raisedOn})`);
}

export function dueBeforeRaised({ raisedOn, dueDate }: { raisedOn: string; dueDate: string }) {
  return unprocessable('due_before_raised', `dueDate ${dueDate} is before the day the issue was raised (${raisedOn})`);
}

export function inspectionRequired() {
  return unprocessable('inspection_required', 'An issue whose source is inspection needs the inspectionId it was raised at');
}

export function projectNotInInspection({ projectId, inspectionId }: { projectId: string; inspectionId: string }) {
  return unprocessable('project_not_in_inspection', `Inspection ${inspectionId} did not cover project ${projectId}`, { projectId, inspectionId });
}

export function reportOfOtherProject({ projectId, reportId }: { projectId: string; reportId: string }) {
  return unprocessable('report_of_other_project', `Progress report ${reportId} is not a report of project ${projectId}`, { projectId, reportId });
}
