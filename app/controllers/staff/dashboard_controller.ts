import type { HttpContext } from '@adonisjs/core/http'
import Appointment from '#models/appointment'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import { practiceNow } from '#services/practice_time'

/** Today at a glance. A clinician sees their own caseload only. */
export default class DashboardController {
  async show({ view, auth }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const today = practiceNow().startOf('day')

    const todays = Appointment.query()
      .where('startsAt', '>=', today.toISO()!)
      .where('startsAt', '<', today.plus({ days: 1 }).toISO()!)
      .preload('client')
      .preload('provider')
      .preload('appointmentType')
      .orderBy('startsAt', 'asc')
    if (staff.role === 'clinician') todays.where('providerId', staff.id)

    const [appointments, activeClients, portalAccounts] = await Promise.all([
      todays,
      Client.query().where('status', 'active').count('* as total').firstOrFail(),
      ClientUser.query().where('status', 'active').count('* as total').firstOrFail(),
    ])

    return view.render('pages/staff/dashboard', {
      appointments,
      activeClients: Number(activeClients.$extras.total),
      portalAccounts: Number(portalAccounts.$extras.total),
      today,
    })
  }
}
