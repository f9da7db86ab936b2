/*
| The one way the product writes CSV (RFC 4180): quoted only when needed,
| quotes doubled, CRLF line ends — and safe to open in a spreadsheet. A value
| a spreadsheet would run as a formula (it starts with = + - @, a tab or a
| carriage return) gets a leading apostrophe, as OWASP recommends for CSV
| injection; the apostrophe shows, nothing runs.
*/
export type CsvValue = string | number | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvField(value: CsvValue) {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One record, with its CRLF line end. */
export function csvLine(values: CsvValue[]) {
  return values.map(csvField).join(',') + '\r\n'
}
