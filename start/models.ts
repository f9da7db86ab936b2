/*
| Lucid keeps a copy of a row's attributes as it was read ($original, to
| tell what changed on save), made with lodash's generic deep merge for every
| model it hydrates. The copy below gives the same result — plain objects,
| arrays and buffers copied, anything else (DateTime, which is immutable; Date,
| which lodash does not copy either) shared — without the generic machinery.
|
| Kept by measurement (issue #25, README "Benchmark"): see the figure there.
*/
import { BaseModel } from '@adonisjs/lucid/orm'

BaseModel.prototype.$hydrateOriginals = function () {
  this.$original = copyOf(this.$attributes)
}

function copyOf(value: any): any {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(copyOf)
  if (Buffer.isBuffer(value)) return Buffer.from(value)
  if (ArrayBuffer.isView(value)) return (value as unknown as Uint8Array).slice()
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  const copy: Record<string, unknown> = {}
  for (const key in value) copy[key] = copyOf(value[key])
  return copy
}
