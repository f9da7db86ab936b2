import vine from '@vinejs/vine'
const blank = (v) => (v === '' ? undefined : v)
const v = vine.create({ a: vine.number().parse(blank).optional(), b: vine.string().parse(blank).optional() })
console.log(await v.tryValidate({ a: '', b: '' }))
console.log(await v.tryValidate({ a: '3', b: 'x' }))
