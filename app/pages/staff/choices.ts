import { CLIENT_STATUSES, CLIENT_STATUS_LABELS } from '#models/client'
import StaffUser from '#models/staff_user'
import { sessionLanguageOptions } from '#support/contact_preferences'
import { LOCALE_NAMES, PORTAL_LOCALES } from '#support/locales'

/*
| The choices of staff forms and list filters that several pages share.
*/
export interface Choice {
  value: string | number
  label: string
}

/**
 * Active clinicians by name after the given first choices, plus the record's
 * current clinician if they have left (so the form still shows who it is).
 * Plain rows, not models: a large practice has hundreds of clinicians and
 * each is only an option in a list.
 */
export async function clinicianChoices(
  first: Choice[],
  current?: Pick<StaffUser, 'id' | 'name'> | null
): Promise<Choice[]> {
  const active = await StaffUser.query()
    .withScopes((scopes) => scopes.clinicians())
    .select('id', 'name')
    .orderBy('name', 'asc')
    .pojo<{ id: number; name: string }>()
  const choices = active.map(({ id, name }) => ({ value: String(id), label: name }))
  if (current && !active.some((clinician) => clinician.id === current.id)) {
    choices.push({ value: String(current.id), label: `${current.name} (no longer active)` })
  }
  return [...first, ...choices]
}

const clientStatusChoices = CLIENT_STATUSES.map((value) => ({ value, label: CLIENT_STATUS_LABELS[value] }))

/** The Clients list's filters. */
export async function clientFilterChoices() {
  return {
    statusOptions: [{ value: '', label: 'Any status' }, ...clientStatusChoices],
    clinicianOptions: await clinicianChoices([
      { value: '', label: 'Any clinician' },
      { value: 'none', label: 'No primary clinician' },
    ]),
  }
}

/** The client form's status and primary clinician (the client's current one, even if they left). */
export async function clientFormChoices(currentClinician?: Pick<StaffUser, 'id' | 'name'> | null) {
  return {
    statusOptions: clientStatusChoices,
    sessionLanguageOptions: [{ value: '', label: 'Not recorded' }, ...sessionLanguageOptions()],
    emailLanguageOptions: PORTAL_LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value], lang: value })),
    clinicianOptions: await clinicianChoices([{ value: '', label: 'None yet' }], currentClinician),
  }
}
