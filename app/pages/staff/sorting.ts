/*
| Sortable staff tables: the column and direction travel in the URL (`sort`,
| `dir`), next to the list's filters, and never a name or a search term.
| Each header links to its column, in the other direction when it is the
| current one; the sorted header carries aria-sort.
*/
export type SortDirection = 'asc' | 'desc'

export interface SortColumn<Key extends string> {
  key: Key
  label: string
  /** The direction a first click sorts in (dates: newest first). */
  firstDir?: SortDirection
}

export interface SortHeader {
  label: string
  href: string
  ariaSort: 'ascending' | 'descending' | undefined
  /** What following the link does, for screen readers. */
  action: string
}

export function sortHeaders<Key extends string>(
  baseUrl: string,
  filters: Record<string, string | number | undefined | null>,
  columns: SortColumn<Key>[],
  current: { sort: Key; dir: SortDirection }
): Record<Key, SortHeader> {
  const kept = Object.entries(filters).filter(([key, value]) => !['sort', 'dir', 'page'].includes(key) && value !== undefined && value !== null && value !== '')
  const headers = {} as Record<Key, SortHeader>
  for (const column of columns) {
    const isCurrent = column.key === current.sort
    const dir: SortDirection = isCurrent ? (current.dir === 'asc' ? 'desc' : 'asc') : (column.firstDir ?? 'asc')
    const query = new URLSearchParams([...kept.map(([key, value]): [string, string] => [key, String(value)]), ['sort', column.key], ['dir', dir]])
    headers[column.key] = {
      label: column.label,
      href: `${baseUrl}?${query}`,
      ariaSort: isCurrent ? (current.dir === 'asc' ? 'ascending' : 'descending') : undefined,
      action: `sort by ${column.label.toLowerCase()}, ${dir === 'asc' ? 'ascending' : 'descending'}`,
    }
  }
  return headers
}
