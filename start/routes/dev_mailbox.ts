/*
| Development only (imported by start/routes.ts when app.inDev): the mailbox
| of mail captured without SMTP, at /dev/mailbox.
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
