/*
| Staff: Portal Settings (ceo and admin: the staffArea middleware lets no
| one else in). Forms POST to explicit action paths.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

const id = router.matchers.number()

router
  .group(() => {
    router.get('/', [controllers.staff.PortalSettings, 'index']).as('index')
    router.post('/practice', [controllers.staff.PortalSettings, 'updateSettings']).as('practice.update')
    router.post('/invitations', [controllers.staff.PortalInvitations, 'store']).as('invitations.store')
    router
      .post('/invitations/:id/resend', [controllers.staff.PortalInvitations, 'resend'])
      .as('invitations.resend')
      .where('id', id)
    router
      .post('/invitations/:id/revoke', [controllers.staff.PortalInvitations, 'revoke'])
      .as('invitations.revoke')
      .where('id', id)
    router
      .post('/accounts/:id/disable', [controllers.staff.PortalAccounts, 'disable'])
      .as('accounts.disable')
      .where('id', id)
    router
      .post('/accounts/:id/enable', [controllers.staff.PortalAccounts, 'enable'])
      .as('accounts.enable')
      .where('id', id)
    router.post('/links/:id/end', [controllers.staff.PortalAccounts, 'endLink']).as('links.end').where('id', id)
    // The form is on the client record; the level is portal access, so ceo and admin (DESIGN §14).
    router.post('/links/:id/level', [controllers.staff.LinkLevels, 'update']).as('links.level').where('id', id)
    router.post('/mail/:id/retry', [controllers.staff.PortalSettings, 'retryMail']).as('mail.retry').where('id', id)
  })
  .prefix('/portal-settings')
  .as('staff.portal_settings')
  .use([middleware.staffAuth(), middleware.staffArea('portalSettings')])
