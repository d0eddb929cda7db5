// ICP calibration from outcomes (pure): encode a table of string cells, fit a regularized logistic
// regression on a seeded stratified split, report hold-out AUC, factors and suggested fit points,
// and guard against columns that leak the outcome. The CLI and the won/lost-history use case call
// calibrateIcp and formatCalibrationReport; nothing here reads files or the clock.
export { type CalibrationOptions, type CalibrationResult, calibrateIcp } from './calibrate-icp.ts'
export { CalibrationError, type CalibrationErrorCode } from './calibration-error.ts'
export { DEFAULT_NULL_TOKENS } from './cell-values.ts'
export { type CalibrationFactor, type FactorTerm, formatOdds } from './describe-factors.ts'
export type { CellTable } from './encode-features.ts'
export { fitLogisticRegression, type LogisticModel } from './fit-logistic-regression.ts'
export { formatCalibrationReport } from './format-calibration-report.ts'
export type { CalibrationWarning, ExcludedColumn } from './screen-columns.ts'
export { FIT_POINTS_RULE, type FitCriterion, type SuggestedFit } from './suggest-fit-points.ts'
