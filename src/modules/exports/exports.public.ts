/** The exports module's face: the sheet shape and its CSV and XLSX writers, for modules that export a table of their own. */
export { toCsv } from './exports.csv.js';
export { toXlsx } from './exports.xlsx.js';
export { exportFormats, type Cell, type Column, type ExportFile, type ExportFormat, type Sheet } from './exports.sheet.js';
