/*
| Staff: appointments, appointment types and session notes.
| Everyone on the staff side; clinicians see their own caseload. Every
| action authorizes with AppointmentPolicy too; forms POST to explicit
| action paths (no method spoofing).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

/* A row id: digits that fit a bigint, so a 25-digit id is a 404, not a database error. */
const id = { match: /^[1-9][0-9]{0,15}$/, cast: (value: string) => Number(value) }

router
  .group(() => {
    router.get('/', [controllers.staff.Appointments, 'index']).as('index')
    router.get('/calendar', [controllers.staff.AppointmentCalendar, 'show']).as('calendar')
    router.get('/new', [controllers.staff.Appointments, 'create']).as('create')
    router.post('/', [controllers.staff.Appointments, 'store']).as('store')

    /* Clients' appointment requests (issue #19): ceo, admin, support staff; a clinician those that name her. */
    router.get('/requests', [controllers.staff.AppointmentRequests, 'index']).as('requests.index')
    router
      .post('/requests/:id/decline', [controllers.staff.AppointmentRequests, 'decline'])
      .as('requests.decline')
      .where('id', id)

    /* The waitlist per clinician (issue #22): everyone who sees appointments; a clinician her own. */
    router.get('/waitlist', [controllers.staff.Waitlist, 'index']).as('waitlist.index')
    router.post('/waitlist/:id/remove', [controllers.staff.Waitlist, 'remove']).as('waitlist.remove').where('id', id)

    /* Appointment types: ceo and admin. */
    router.get('/types', [controllers.staff.AppointmentTypes, 'index']).as('types.index')
    router.post('/types', [controllers.staff.AppointmentTypes, 'store']).as('types.store')
    router.get('/types/:id/edit', [controllers.staff.AppointmentTypes, 'edit']).as('types.edit').where('id', id)
    router.post('/types/:id', [controllers.staff.AppointmentTypes, 'update']).as('types.update').where('id', id)
    router
      .post('/types/:id/deactivate', [controllers.staff.AppointmentTypes, 'deactivate'])
      .as('types.deactivate')
      .where('id', id)
    router
      .post('/types/:id/activate', [controllers.staff.AppointmentTypes, 'activate'])
      .as('types.activate')
      .where('id', id)

    router.get('/:id', [controllers.staff.Appointments, 'show']).as('show').where('id', id)
    router.get('/:id/edit', [controllers.staff.AppointmentReschedules, 'edit']).as('edit').where('id', id)
    router.post('/:id', [controllers.staff.AppointmentReschedules, 'update']).as('update').where('id', id)
    router.post('/:id/cancel', [controllers.staff.AppointmentStatus, 'cancel']).as('cancel').where('id', id)
    router.post('/:id/outcome', [controllers.staff.AppointmentStatus, 'update']).as('outcome').where('id', id)
    router.post('/:id/note', [controllers.staff.SessionNotes, 'store']).as('note.store').where('id', id)
    /* "Offer an earlier time": staff put the client on the waitlist from this appointment (issue #22). */
    router.post('/:id/waitlist', [controllers.staff.Waitlist, 'add']).as('waitlist.add').where('id', id)
  })
  .prefix('/appointments')
  .as('staff.appointments')
  .use([middleware.staffAuth(), middleware.staffArea('appointments')])
