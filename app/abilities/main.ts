/*
| Bouncer abilities. Policies with per-record rules live in app/policies.
*/
import { Bouncer } from '@adonisjs/bouncer'
import type StaffUser from '#models/staff_user'
import { mayOpen, type StaffArea } from '#abilities/areas'

export const openArea = Bouncer.ability((staff: StaffUser, area: StaffArea) => mayOpen(staff, area))

/** The whole practice's insights (its CSV, the by-clinician table): the owner and the executive administrator. */
export const exportInsights = Bouncer.ability(
  (staff: StaffUser) => mayOpen(staff, 'insights') && (staff.role === 'ceo' || staff.role === 'admin')
)
