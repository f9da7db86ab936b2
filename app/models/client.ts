import { ClientSchema } from '#database/schema'
import { belongsTo, hasMany, hasOne, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany, HasOne } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { DateTime } from 'luxon'
import StaffUser, { type StaffRole } from '#models/staff_user'
import Appointment from '#models/appointment'
import EmergencyContact from '#models/emergency_contact'
import ClientPreference from '#models/client_preference'
import ClientUserLink from '#models/client_user_link'
import ResourceShare from '#models/resource_share'
import PortalInvitation from '#models/portal_invitation'
import { formatPhoneForDisplay, phoneCheckHint } from '#support/phone'
import { practiceNow } from '#support/practice_time'
import { maskEmail } from '#support/masking'
import type { PortalLocale } from '#support/locales'

export const CLIENT_STATUSES = ['active', 'inactive', 'discharged'] as const
export type ClientStatus = (typeof CLIENT_STATUSES)[number]

/** The Clients list's sortable columns. */
export const CLIENT_SORTS = ['name', 'dateOfBirth', 'status'] as const
export type ClientSort = (typeof CLIENT_SORTS)[number]

export const CLIENT_STATUS_LABELS: Record<ClientStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  discharged: 'Discharged',
}

/** Staff roles that see every client; a clinician sees their own caseload only (DESIGN §2). */
export const ALL_CLIENTS_ROLES: readonly StaffRole[] = ['ceo', 'admin', 'support_staff']

/** Where a client stands with the portal, as staff see it. */
export type PortalStatus = 'none' | 'invited' | 'active' | 'disabled'

export const PORTAL_STATUS_LABELS: Record<PortalStatus, string> = {
  none: 'No portal access',
  invited: 'Invited',
  active: 'Active',
  disabled: 'Disabled',
}

type ClientQuery = ModelQueryBuilderContract<typeof Client>

/** LIKE wildcards typed by a person match only themselves. */
function likeContaining(text: string) {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`
}

export default class Client extends ClientSchema {
  declare status: ClientStatus
  /** The language of mail to someone without a portal account (staff set it). */
  declare emailLanguage: PortalLocale

  @belongsTo(() => StaffUser, { foreignKey: 'primaryClinicianId' })
  declare primaryClinician: BelongsTo<typeof StaffUser>

  @hasMany(() => Appointment)
  declare appointments: HasMany<typeof Appointment>

  @hasMany(() => EmergencyContact)
  declare emergencyContacts: HasMany<typeof EmergencyContact>

  @hasOne(() => ClientPreference)
  declare preference: HasOne<typeof ClientPreference>

  @hasMany(() => ClientUserLink)
  declare portalLinks: HasMany<typeof ClientUserLink>

  @hasMany(() => ResourceShare)
  declare resourceShares: HasMany<typeof ResourceShare>

  @hasMany(() => PortalInvitation)
  declare portalInvitations: HasMany<typeof PortalInvitation>

  static forClient = scope((query, clientId: number) => {
    query.where('clients.id', clientId)
  })

  /**
   * The clients a staff member may see: everyone for ceo, admin and support
   * staff; for a clinician their own caseload (primary clinician, or provider
   * of any of the client's appointments); nobody for any other role.
   */
  static visibleTo = scope((query, staff: Pick<StaffUser, 'id' | 'role'>) => {
    if (ALL_CLIENTS_ROLES.includes(staff.role)) return
    if (staff.role !== 'clinician') {
      query.whereRaw('false')
      return
    }
    query.where((caseload) => {
      caseload.where('clients.primary_clinician_id', staff.id).orWhereExists((provided) => {
        provided
          .from('appointments')
          .whereColumn('appointments.client_id', 'clients.id')
          .where('appointments.provider_id', staff.id)
      })
    })
  })

  /**
   * Case-insensitive search on first, last and preferred name and email:
   * every word typed must appear in one of them ("sam lee" finds Sam Lee).
   */
  static search = scope((query, term: string) => {
    const words = term.trim().split(/\s+/).filter(Boolean).slice(0, 5)
    for (const word of words) {
      const pattern = likeContaining(word)
      query.where((matches) => {
        matches
          .whereILike('clients.first_name', pattern)
          .orWhereILike('clients.last_name', pattern)
          .orWhereILike('clients.preferred_name', pattern)
          .orWhereILike('clients.email', pattern)
      })
    }
  })

  static withStatus = scope((query, status: ClientStatus) => {
    query.where('clients.status', status)
  })

  /** Clients of one primary clinician; `null` for clients without one. */
  static withPrimaryClinician = scope((query, clinicianId: number | null) => {
    if (clinicianId === null) query.whereNull('clients.primary_clinician_id')
    else query.where('clients.primary_clinician_id', clinicianId)
  })

  /**
   * Last name, first name, id. `narrowed`: a search already picks the few
   * matching rows through the trigram index, so the sort key is written in a
   * way the name index cannot serve; otherwise the planner walks that index
   * and filters row by row until a page of matches turns up (~250 ms at
   * 100 000 clients for a surname late in the alphabet). Same order either way.
   */
  /** The columns choiceLabel needs, and no more. */
  static asChoice = scope((query) => {
    query.select(
      'clients.id',
      'clients.first_name',
      'clients.last_name',
      'clients.preferred_name',
      'clients.date_of_birth',
      'clients.email'
    )
  })

  static alphabetical = scope((query, options: { narrowed?: boolean } = {}) => {
    const key = (column: string) => (options.narrowed ? `(lower(${column}) || '')` : `lower(${column})`)
    query
      .orderByRaw(`${key('clients.last_name')} asc, ${key('clients.first_name')} asc`)
      .orderBy('clients.id', 'asc')
  })

  /**
   * The Clients list's order when a column is chosen: date of birth or
   * status, then by name; or by name, either way.
   */
  static sortedBy = scope((query, sort: ClientSort, dir: 'asc' | 'desc', options: { narrowed?: boolean } = {}) => {
    const key = (column: string) => (options.narrowed ? `(lower(${column}) || '')` : `lower(${column})`)
    if (sort === 'dateOfBirth') query.orderBy('clients.date_of_birth', dir)
    if (sort === 'status') query.orderBy('clients.status', dir)
    const nameDir = sort === 'name' ? dir : 'asc'
    query
      .orderByRaw(`${key('clients.last_name')} ${nameDir}, ${key('clients.first_name')} ${nameDir}`)
      .orderBy('clients.id', nameDir)
  })

  /** A client this staff member may see; one outside a clinician's caseload is the same 404 as none. */
  static findVisibleOrFail(staff: Pick<StaffUser, 'id' | 'role'>, id: string | number) {
    return Client.query()
      .withScopes((scopes) => scopes.visibleTo(staff))
      .where('clients.id', id)
      .firstOrFail()
  }

  /**
   * The staff client page's related records, one query per relation (no
   * N+1). Preferences are read with ClientPreference.forClient.
   */
  static withRecordDetails = scope<typeof Client, (query: ClientQuery) => void>((query) => {
    query
      .preload('primaryClinician')
      .preload('emergencyContacts', (contacts) => contacts.withScopes((scopes) => scopes.inCallingOrder()))
      .preload('portalLinks', (links) => {
        links
          .preload('clientUser')
          .orderByRaw('client_user_links.ended_at is not null')
          .orderBy('client_user_links.created_at', 'asc')
      })
      .preload('portalInvitations', (invitations) => {
        invitations
          .whereNull('portal_invitations.accepted_at')
          .whereNull('portal_invitations.revoked_at')
          .whereNull('portal_invitations.locked_at')
          .where('portal_invitations.expires_at', '>', DateTime.now().toSQL()!)
          .orderBy('portal_invitations.created_at', 'desc')
      })
      .preload('resourceShares', (shares) => {
        shares
          .withScopes((scopes) => scopes.live())
          .preload('resource', (resource) => resource.preload('category'))
          .preload('sharedBy')
          .orderBy('resource_shares.shared_at', 'desc')
      })
  })

  /** Whether this client is among those the staff member may see. */
  async isVisibleTo(staff: Pick<StaffUser, 'id' | 'role'>) {
    const found = await Client.query()
      .withScopes((scopes) => scopes.visibleTo(staff))
      .where('clients.id', this.id)
      .select('clients.id')
      .first()
    return found !== null
  }

  /**
   * Portal status from the preloaded links (with accounts) and pending
   * invitations (see withRecordDetails): active when someone can sign in
   * for this client now; invited while an invitation or onboarding is under
   * way; disabled when accounts exist but none may act (accounts disabled,
   * links ended, a parent link of an adult, or the client not active).
   */
  portalStatus(): PortalStatus {
    const today = practiceNow()
    const live = this.portalLinks.filter((link) => link.endedAt === null)
    const usable = live.filter(
      (link) =>
        link.verifiedAt !== null &&
        link.clientUser.status === 'active' &&
        (link.relationship !== 'parent' || !this.isAdultOn(today))
    )
    if (this.status === 'active' && usable.length) return 'active'
    const onboarding = live.some((link) => link.clientUser.status === 'onboarding' || link.verifiedAt === null)
    if (this.status === 'active' && (this.portalInvitations.length || onboarding)) return 'invited'
    if (this.portalLinks.length) return 'disabled'
    return this.portalInvitations.length ? 'invited' : 'none'
  }

  /**
   * The contact details a client (or their guardian) keeps current from the
   * portal: only the columns the portal role may update; an emptied field is
   * cleared. Email is left as it is when the form has none (onboarding).
   */
  mergeContactDetails(details: {
    phone: string
    email?: string | null
    addressLine1?: string | null
    addressLine2?: string | null
    city?: string | null
    region?: string | null
    postalCode?: string | null
  }): Client {
    return (this as Client).merge({
      phone: details.phone,
      ...('email' in details ? { email: details.email ?? null } : {}),
      addressLine1: details.addressLine1 ?? null,
      addressLine2: details.addressLine2 ?? null,
      city: details.city ?? null,
      region: details.region ?? null,
      postalCode: details.postalCode ?? null,
    })
  }

  /** Adult from the 18th birthday, in the practice's time zone: a parent's portal access stops then. */
  isAdultOn(today: DateTime = practiceNow()) {
    return this.hasBirthdayOn(today, 18)
  }

  /** From `teenAge` to 17 on `today` (the practice's day): a parent's link starts narrow (DESIGN §14). */
  isTeenOn(today: DateTime, teenAge: number) {
    return !this.isAdultOn(today) && this.hasBirthdayOn(today, teenAge)
  }

  /**
   * Whether the client's `age`th birthday is on or before `today`'s calendar
   * day (in `today`'s zone). Calendar days as 'YYYY-MM-DD' text, compared as
   * text: every portal request asks this for each linked child (issue #25).
   * A 29 February birthday falls on 1 March in other years.
   */
  hasBirthdayOn(today: DateTime, age: number) {
    if (!this.dateOfBirth) return false
    const { year, month, day } = this.dateOfBirth
    const leapDay = month === 2 && day === 29 && !isLeapYear(year + age)
    const birthday = leapDay ? `${year + age}-03-01` : `${year + age}-${pad2(month)}-${pad2(day)}`
    return today.toISODate()! >= birthday
  }

  /**
   * How a client is told apart from a look-alike in every staff choice
   * (booking, invitations, sharing): "Abbott, Avery · born Apr 12, 1990 ·
   * a•••@example.test". A wrong pick would show one person's records to another.
   */
  get choiceLabel() {
    const parts = [`${this.lastName}, ${this.displayFirstName}`]
    if (this.dateOfBirth) parts.push(`born ${this.dateOfBirthForDisplay}`)
    parts.push(this.email ? maskEmail(this.email) : 'no email on file')
    return parts.join(' · ')
  }

  /** "Apr 12, 1990": a calendar day, so no time zone conversion. */
  get dateOfBirthForDisplay() {
    return this.dateOfBirth ? this.dateOfBirth.setLocale('en-US').toFormat('LLL d, yyyy') : ''
  }

  get statusLabel() {
    return CLIENT_STATUS_LABELS[this.status] ?? this.status
  }

  /** The name to greet with: the preferred first name when there is one. */
  get displayFirstName() {
    return this.preferredName || this.firstName
  }

  get fullName() {
    return `${this.displayFirstName} ${this.lastName}`
  }

  /** The stored E.164 number as people write it: "(213) 555-0142". */
  get phoneForDisplay() {
    return formatPhoneForDisplay(this.phone)
  }

  /** A calm "please check" for a number on file that is not known to be in use. */
  get phoneHint() {
    return phoneCheckHint(this.phone)
  }
}

function pad2(value: number) {
  return String(value).padStart(2, '0')
}

function isLeapYear(year: number) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}
