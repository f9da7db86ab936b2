import { DomUtils, parseDocument } from 'htmlparser2'
import type { Element } from 'domhandler'

/*
| A form read out of a page and serialised the way a browser does (HTML's
| "constructing the entry list"): every named, enabled control, checked boxes
| only, a select's selected option (or its first), a textarea's text, no
| buttons. Tests submit exactly what a person's browser would send.
*/
export interface BrowserForm {
  method: 'GET' | 'POST'
  action: string
  entries: [string, string][]
}

/** The form whose `action` is this path (the first one, or the one picked by `which`). */
export function browserForm(html: string, action: string, which = 0): BrowserForm {
  const document = parseDocument(html, { decodeEntities: true })
  const forms = DomUtils.findAll(
    (element) => element.name === 'form' && (element.attribs.action ?? '').split('?')[0] === action,
    document.children
  )
  const form = forms[which]
  if (!form) throw new Error(`No form posting to ${action} on this page`)

  const entries: [string, string][] = []
  const controls = DomUtils.findAll((element) => ['input', 'select', 'textarea'].includes(element.name), form.children)
  for (const control of controls) {
    const name = control.attribs.name
    if (!name || 'disabled' in control.attribs) continue
    // A control with form="…" belongs to that other form (the client picker's search box).
    if (control.attribs.form !== undefined && control.attribs.form !== form.attribs.id) continue
    if (control.name === 'input') {
      const type = (control.attribs.type ?? 'text').toLowerCase()
      if (['submit', 'button', 'reset', 'image', 'file'].includes(type)) continue
      if (['checkbox', 'radio'].includes(type) && !('checked' in control.attribs)) continue
      entries.push([name, control.attribs.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')])
    } else if (control.name === 'select') {
      const options = DomUtils.findAll((element) => element.name === 'option', control.children)
      const selected = options.filter((option) => 'selected' in option.attribs)
      const chosen = 'multiple' in control.attribs ? selected : [selected[0] ?? options[0]].filter(Boolean)
      for (const option of chosen as Element[]) entries.push([name, option.attribs.value ?? DomUtils.textContent(option)])
    } else {
      entries.push([name, DomUtils.textContent(control).replace(/^\n/, '')])
    }
  }
  return {
    method: (form.attribs.method ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET',
    action: form.attribs.action,
    entries,
  }
}

/** The entries with some fields changed, as a person would edit them before submitting. */
export function withChanges(form: BrowserForm, changes: Record<string, string>) {
  const entries = form.entries.map(([name, value]): [string, string] => [name, name in changes ? changes[name] : value])
  return { ...form, entries }
}
