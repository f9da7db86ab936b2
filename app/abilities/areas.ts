/*
| The staff application's areas and who may open each (DESIGN §2). This map
| is the one place the access matrix lives: each route group names its area
| (middleware.staffArea in start/routes, through the `openArea` ability),
| and the sidebar is built from the same map.
*/
import type StaffUser from '#models/staff_user'
import type { StaffRole } from '#models/staff_user'

const everyone: StaffRole[] = ['ceo', 'admin', 'support_staff', 'clinician']

export const AREAS = {
  dashboard: { href: '/dashboard', label: 'Dashboard', roles: everyone },
  clients: { href: '/clients', label: 'Clients', roles: everyone },
  appointments: { href: '/appointments', label: 'Appointments', roles: everyone },
  resourceLibrary: {
    href: '/resource-library',
    label: 'Resource Library',
    roles: ['ceo', 'admin', 'support_staff'] as StaffRole[],
  },
  portalSettings: {
    href: '/portal-settings',
    label: 'Portal Settings',
    roles: ['ceo', 'admin'] as StaffRole[],
  },
  staff: { href: '/staff', label: 'Staff', roles: ['ceo', 'admin'] as StaffRole[] },
  insights: {
    href: '/insights',
    label: 'Insights',
    roles: ['ceo', 'admin', 'clinician'] as StaffRole[],
  },
  auditLog: { href: '/audit-log', label: 'Audit log', roles: ['ceo', 'admin'] as StaffRole[] },
} satisfies Record<string, { href: string; label: string; roles: StaffRole[] }>

export type StaffArea = keyof typeof AREAS

export function mayOpen(staff: StaffUser, area: StaffArea) {
  return staff.isActive && AREAS[area].roles.includes(staff.role)
}
