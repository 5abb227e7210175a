/** The leader-assignments module's face: which projects a leader watches on a day (the write scope of leader keys). */
export { projectsAssignedTo } from './leader-assignments.current.js';
