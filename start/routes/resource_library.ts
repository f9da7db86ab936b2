/*
| Staff: the Resource Library (ceo, admin, support_staff).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

router
  .group(() => {})
  .prefix('/resource-library')
  .as('staff.resource_library')
  .use(middleware.staffAuth())
