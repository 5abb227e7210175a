/** The leader-assignments module's face: which projects a leader watches on a day (the write scope of leader keys), and which assignments of a leader are not over (before archiving the leader). */
export { assignmentsNotEndedBy, projectsAssignedTo } from './leader-assignments.current.js';
