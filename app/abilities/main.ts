/*
| Bouncer abilities. Policies with per-record rules live in app/policies.
*/
import { Bouncer } from '@adonisjs/bouncer'
import type StaffUser from '#models/staff_user'
import { mayOpen, type StaffArea } from '#abilities/areas'

export const openArea = Bouncer.ability((staff: StaffUser, area: StaffArea) => mayOpen(staff, area))
