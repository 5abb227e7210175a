import { AppError } from '../../lib/errors.js';

/** OC4IDS packages hold at least one project, so an empty list-year is a 404, not an empty package. */
export function emptyPackage(year: number, list: string | undefined): AppError {
  return new AppError({
    code: 'oc4ids_package_empty',
    status: 404,
    title: 'No projects to publish / 无可发布的项目',
    detail: `No project is on ${list ?? 'any list'} for ${year}; an OC4IDS package needs at least one project`,
  });
}
