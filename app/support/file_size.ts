/*
| File sizes as people read them: "945 bytes", "12 KB", "1.2 MB" (steps of
| 1024, so the 20 MB upload limit reads "20 MB"; one decimal below 10).
*/
const UNITS = ['KB', 'MB', 'GB']

export function formatFileSize(bytes: number | string | null | undefined) {
  if (bytes === null || bytes === undefined || bytes === '') return ''
  const size = Number(bytes)
  if (!Number.isFinite(size) || size < 0) return ''
  if (size < 1024) return size === 1 ? '1 byte' : `${size} bytes`
  let value = size / 1024
  let unit = 0
  while (value >= 1023.5 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const shown = value < 9.95 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value))
  return `${shown} ${UNITS[unit]}`
}
