/*
| Staff: clients (everyone; clinicians see their own caseload).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

router
  .group(() => {})
  .prefix('/clients')
  .as('staff.clients')
  .use(middleware.staffAuth())
