/*
| Staff: Insights (issue #21). ceo and admin see the whole practice, a
| clinician her caseload; the CSV is the owner's and the administrator's
| (the exportInsights ability). Support staff get the calm 403.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('/', [controllers.staff.Insights, 'index']).as('index')
    router.get('/outreach', [controllers.staff.Insights, 'outreach']).as('outreach')
    router.get('/export.csv', [controllers.staff.Insights, 'export']).as('export')
  })
  .prefix('/insights')
  .as('staff.insights')
  .use([middleware.staffAuth(), middleware.staffArea('insights')])
