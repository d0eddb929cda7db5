/** Why a calibration was refused. Closed set, so an edge can map each code to a status or exit code. */
export type CalibrationErrorCode =
  | 'unknown_column'
  | 'label_not_binary'
  | 'single_class'
  | 'too_few_rows'
  | 'label_leak'
  | 'invalid_option'

/**
 * A refusal to calibrate, naming the offending input by `path` (`label`, `exclude[1]`, `rows[17].Converted`).
 *
 * @example new CalibrationError('label_leak', 'columns.Outcome', 'column "Outcome" is a function of the label "Converted"')
 */
export class CalibrationError extends Error {
  readonly code: CalibrationErrorCode
  readonly path: string

  constructor(code: CalibrationErrorCode, path: string, message: string) {
    super(`${path}: ${message}`)
    this.name = 'CalibrationError'
    this.code = code
    this.path = path
  }
}
