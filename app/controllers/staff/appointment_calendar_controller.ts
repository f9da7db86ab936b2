import type { HttpContext } from '@adonisjs/core/http'
import AppointmentPolicy from '#policies/appointment_policy'
import { calendarValidator } from '#validators/appointment'
import { firstErrorOfEachField } from '#validators/field_error'
import { buildCalendar, calendarProviderOptions } from '#pages/staff/calendar'

/*
| The Appointments calendar (pages/staff/calendar.ts). Its moves between
| days and weeks are links; htmx swaps the grid alone and keeps the URL.
*/
export default class AppointmentCalendarController {
  async show({ request, response, bouncer, view, htmx, auth }: HttpContext) {
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const staff = auth.use('staff').getUserOrFail()
    const providerOptions = await calendarProviderOptions()
    const [error, asked] = await request.tryValidateUsing(calendarValidator, { data: request.qs() })
    if (error) {
      response.status(422)
      return view.render('pages/staff/appointments/calendar', {
        providerOptions,
        filterErrors: firstErrorOfEachField(error),
        calendar: null,
      })
    }
    const calendar = await buildCalendar(staff, asked)
    const data = { providerOptions, filterErrors: {}, calendar }
    return view.render(`pages/staff/appointments/${htmx.partial ? '_calendar' : 'calendar'}`, data)
  }
}
