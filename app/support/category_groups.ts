interface Categorised {
  category?: { name: string; position: number } | null
}

/** Items in category order, uncategorised last (the portal's grouped resource list). */
export function groupByCategory<Item extends Categorised>(items: Item[], otherName = 'Other resources') {
  const groups = new Map<string, { name: string; position: number; resources: Item[] }>()
  for (const item of items) {
    const name = item.category?.name ?? otherName
    const position = item.category?.position ?? Number.MAX_SAFE_INTEGER
    if (!groups.has(name)) groups.set(name, { name, position, resources: [] })
    groups.get(name)!.resources.push(item)
  }
  return [...groups.values()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
}
