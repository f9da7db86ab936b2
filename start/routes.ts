/*
| Routes. Two sides that never mix (DESIGN §4):
| - the staff application, under the `staff` guard;
| - the client portal: one group with the prefix /portal, in three nested
|   groups (public, onboarding, protected).
| The surface isolation middleware (start/kernel.ts) sends each signed-in
| user back to their own side.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router.get('/', [controllers.Landing, 'show']).as('landing')
router.get('/health', [controllers.Health, 'show']).as('health')

/*
| Staff
*/
router
  .group(() => {
    router.get('/login', [controllers.StaffSession, 'create']).as('session.create')
    router.post('/login', [controllers.StaffSession, 'store']).as('session.store')
  })
  .as('staff')
  .use(middleware.guest({ guard: 'staff' }))

router
  .group(() => {
    router.post('/logout', [controllers.StaffSession, 'destroy']).as('session.destroy')
    router.get('/dashboard', [controllers.staff.Dashboard, 'show']).as('dashboard')
  })
  .as('staff')
  .use(middleware.staffAuth())

/*
| Client portal
*/
router
  .group(() => {
    router
      .group(() => {
        router.get('/login', [controllers.ClientSession, 'create']).as('session.create')
        router.post('/login', [controllers.ClientSession, 'store']).as('session.store')
      })
      .use(middleware.guest({ guard: 'client_users' }))

    router
      .group(() => {
        router.post('/logout', [controllers.ClientSession, 'destroy']).as('session.destroy')
      })
      .use(middleware.portalAuth({ stage: 'onboarding' }))

    router
      .group(() => {
        router.get('/', [controllers.portal.Home, 'show']).as('home')
      })
      .use([middleware.portalAuth(), middleware.portalContext()])
  })
  .prefix('/portal')
  .as('portal')
