/*
| File sizes as people read them: "945 bytes", "12 KB", "1.2 MB" (steps of
| 1024, so the 20 MB upload limit reads "20 MB"; one decimal below 10).
*/
const UNITS = ['KB', 'MB', 'GB']

export function formatFileSize(bytes: number | string | null | undefined) {
  const parts = fileSizeParts(bytes)
  if (!parts) return ''
  if (parts.unit === 'bytes') return parts.value === 1 ? '1 byte' : `${parts.value} bytes`
  return `${parts.value} ${parts.unit}`
}

/**
 * The same size as a number and its unit, for a message in the page's
 * language (the portal's `portal.resources.size`): { value: 1.2, unit: 'MB' }.
 */
export function fileSizeParts(bytes: number | string | null | undefined) {
  if (bytes === null || bytes === undefined || bytes === '') return null
  const size = Number(bytes)
  if (!Number.isFinite(size) || size < 0) return null
  if (size < 1024) return { value: size, unit: 'bytes' }
  let value = size / 1024
  let unit = 0
  while (value >= 1023.5 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return { value: value < 9.95 ? Number(value.toFixed(1)) : Math.round(value), unit: UNITS[unit] }
}
