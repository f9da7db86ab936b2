/*
| The mailbox of mail captured without SMTP, at /dev/mailbox: development
| only. The routes are registered in every environment, so that the route
| types generated in development, tests and builds are the same committed
| file; outside development each of them answers 404 (the controller's check).
*/
import router from '@adonisjs/core/services/router'

const DevMailboxController = () => import('#controllers/dev/mailbox_controller')

router
  .group(() => {
    router.get('/', [DevMailboxController, 'index']).as('index')
    router.get('/:id', [DevMailboxController, 'show']).as('show')
    router.get('/:id/raw', [DevMailboxController, 'raw']).as('raw')
  })
  .prefix('/dev/mailbox')
  .as('dev.mailbox')
