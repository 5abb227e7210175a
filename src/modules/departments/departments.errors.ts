import { conflict } from '../../lib/errors.js';

/** How many of the records that keep a department or leader in use a refusal names. */
export const IN_USE_LISTED = 50;

/** A department that still answers for projects cannot be archived: they would answer to no one. */
export function departmentInUse(id: string, projectIds: string[]) {
  const more = projectIds.length >= IN_USE_LISTED ? ` (the first ${IN_USE_LISTED})` : '';
  return conflict(
    'department_in_use',
    `Department ${id} still answers for ${projectIds.length}${more} projects that are not archived; move them to another department or archive them first / 该部门仍是未归档项目的责任部门，请先移交或归档这些项目`,
    { projectIds },
  );
}
