import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import Client, { type ClientStatus } from '#models/client'
import type StaffUser from '#models/staff_user'
import { mayOpen, type StaffArea } from '#abilities/areas'
import { rememberSearch, rememberedSearch } from '#services/remembered_searches'

/*
| The search-first client picker of staff forms (booking, the Portal
| Settings invite, the audit log's client filter): a posted search, never a
| URL, that lists the matching clients this person may see (a clinician's
| caseload) with date of birth and masked email, as radio buttons of the
| form. Without JavaScript the search is a form of its own whose term is
| kept in the session for the page to list the matches; with htmx the same
| POST answers with the list alone.
*/
export const PICKER_PURPOSES = ['booking', 'invite', 'audit'] as const
export type PickerPurpose = (typeof PICKER_PURPOSES)[number]

interface PurposeRules {
  /** Who may search for this form: the area the form lives in. */
  area: StaffArea
  /** Which clients the form may take; null: any status. */
  status: ClientStatus | null
  /** Where a search without JavaScript returns to: this form's page (a path and its filters, never a name). */
  returnPath: RegExp
  /** The page's address when the form's own one is not usable. */
  fallbackPath: string
}

export const PICKER_RULES: Record<PickerPurpose, PurposeRules> = {
  booking: { area: 'appointments', status: 'active', returnPath: /^\/appointments\/new(\?[^#\s]*)?$/, fallbackPath: '/appointments/new' },
  invite: { area: 'portalSettings', status: 'active', returnPath: /^\/portal-settings(\?[^#\s]*)?$/, fallbackPath: '/portal-settings' },
  audit: { area: 'auditLog', status: null, returnPath: /^\/audit-log(\?[^#\s]*)?$/, fallbackPath: '/audit-log' },
}

/** How many matches a search lists; more asks for more of the name. */
export const PICKER_LIMIT = 20

/** Picker searches a staff member may send a minute (typing sends one per pause). */
export const PICKER_SEARCHES_PER_MINUTE = 60

/** What a type-ahead over its budget shows in its results (the pickers and the share picker). */
export const SEARCH_BUDGET_SPENT = 'That was a lot of searches in a short time. Please wait a minute, then search again.'

const sessionKey = (purpose: PickerPurpose) => `client_picker_${purpose}`

/**
 * Counts one client search of a staff member (the pickers and the share
 * picker share the budget); false once over it, for a minute.
 */
export async function mayRunClientSearch(staffId: number) {
  const throttle = limiter.use({ requests: PICKER_SEARCHES_PER_MINUTE, duration: '1 min', blockDuration: '1 min' })
  return throttle.consume(`client_picker_${staffId}`).then(
    () => true,
    () => false
  )
}

export function mayUsePicker(staff: StaffUser, purpose: PickerPurpose) {
  return mayOpen(staff, PICKER_RULES[purpose].area)
}

function pickable(staff: Pick<StaffUser, 'id' | 'role'>, purpose: PickerPurpose) {
  const { status } = PICKER_RULES[purpose]
  return Client.query()
    .withScopes((scopes) => {
      scopes.visibleTo(staff)
      if (status) scopes.withStatus(status)
    })
    .withScopes((scopes) => scopes.asChoice())
}

/** The clients matching a term that this person may pick here: the first PICKER_LIMIT, and whether there are more. */
export async function searchPickable(staff: Pick<StaffUser, 'id' | 'role'>, purpose: PickerPurpose, term: string) {
  const found = await pickable(staff, purpose)
    .withScopes((scopes) => {
      scopes.search(term)
      scopes.alphabetical({ narrowed: true })
    })
    .limit(PICKER_LIMIT + 1)
  return { clients: found.slice(0, PICKER_LIMIT), more: found.length > PICKER_LIMIT }
}

/** One client this person may pick here (a preselected or previously chosen one), or null. */
export async function findPickable(staff: Pick<StaffUser, 'id' | 'role'>, purpose: PickerPurpose, id: unknown) {
  const clientId = Number(id)
  if (!Number.isSafeInteger(clientId) || clientId <= 0) return null
  return pickable(staff, purpose).where('clients.id', clientId).first()
}

export function rememberPickerSearch(session: HttpContext['session'], purpose: PickerPurpose, term: string | undefined) {
  rememberSearch(session, sessionKey(purpose), term)
}

export interface PickerState {
  purpose: PickerPurpose
  /** The remembered term ('' for none), shown back in the search box. */
  searched: string
  /** The matches of that term. */
  clients: Client[]
  more: boolean
  /** The client already chosen (sent back with a problem, or preselected by a link), listed first and checked. */
  chosen: Client | null
}

/**
 * What a page shows in its picker: the chosen client (the value sent back
 * with the form's problems, else `preselected`) and the matches of the
 * search remembered for this form.
 */
export async function pickerState(
  ctx: Pick<HttpContext, 'session'>,
  staff: Pick<StaffUser, 'id' | 'role'>,
  purpose: PickerPurpose,
  preselected?: unknown
): Promise<PickerState> {
  const searched = rememberedSearch(ctx.session, sessionKey(purpose)) ?? ''
  const sentBack = ctx.session.flashMessages.get('clientId')
  const chosen = await findPickable(staff, purpose, sentBack ?? preselected)
  const { clients, more } = searched ? await searchPickable(staff, purpose, searched) : { clients: [], more: false }
  return { purpose, searched, clients: clients.filter((client) => client.id !== chosen?.id), more, chosen }
}
