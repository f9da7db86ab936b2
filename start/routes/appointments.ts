/*
| Staff: appointments, appointment types and session notes.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

router
  .group(() => {})
  .prefix('/appointments')
  .as('staff.appointments')
  .use(middleware.staffAuth())
