/*
| Staff accounts (issue 10):
| - public: password recovery and the invitation link (reading a link
|   spends nothing; only a POST does);
| - signed in: two-factor sign-in of one's own account (every staff member;
|   a ceo or admin without it is kept here by the staff auth middleware);
| - /staff: the accounts themselves (the Staff area: ceo and admin).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

const id = router.matchers.number()
const token = { match: /^[A-Za-z0-9_-]{1,100}$/ }

router
  .group(() => {
    router.get('/forgot-password', [controllers.StaffPasswordResets, 'create']).as('password_resets.create')
    router.post('/forgot-password', [controllers.StaffPasswordResets, 'store']).as('password_resets.store')
    router.get('/forgot-password/sent', [controllers.StaffPasswordResets, 'sent']).as('password_resets.sent')
    router.get('/reset-password/:token', [controllers.StaffPasswordResets, 'edit']).as('password_resets.edit').where('token', token)
    router.post('/reset-password/:token', [controllers.StaffPasswordResets, 'update']).as('password_resets.update').where('token', token)
    router.get('/staff/invitations/:token', [controllers.StaffInvitations, 'show']).as('invitations.show').where('token', token)
    router.post('/staff/invitations/:token', [controllers.StaffInvitations, 'accept']).as('invitations.accept').where('token', token)
  })
  .as('staff')

router
  .group(() => {
    router.get('/two-factor', [controllers.staff.TwoFactor, 'show']).as('two_factor.show')
    router.get('/two-factor/setup', [controllers.staff.TwoFactor, 'setup']).as('two_factor.setup')
    router.post('/two-factor/setup', [controllers.staff.TwoFactor, 'confirm']).as('two_factor.confirm')
    router.get('/video-room', [controllers.staff.StaffVideoRooms, 'edit']).as('video_room.edit')
    router.post('/video-room', [controllers.staff.StaffVideoRooms, 'update']).as('video_room.update')
  })
  .prefix('/staff')
  .as('staff')
  .use(middleware.staffAuth())

/* The accounts themselves: the Staff area. */
router
  .group(() => {
    router.get('/', [controllers.staff.StaffAccounts, 'index']).as('accounts.index')
    router.post('/invitations', [controllers.staff.StaffAccounts, 'store']).as('accounts.store')
    router.post('/:id/role', [controllers.staff.StaffAccounts, 'updateRole']).as('accounts.role').where('id', id)
    router.post('/:id/deactivate', [controllers.staff.StaffAccounts, 'deactivate']).as('accounts.deactivate').where('id', id)
    router.post('/:id/reactivate', [controllers.staff.StaffAccounts, 'reactivate']).as('accounts.reactivate').where('id', id)
    router.post('/:id/resend', [controllers.staff.StaffAccounts, 'resend']).as('accounts.resend').where('id', id)
    router.get('/:id/video-room', [controllers.staff.StaffVideoRooms, 'editFor']).as('accounts.video_room.edit').where('id', id)
    router.post('/:id/video-room', [controllers.staff.StaffVideoRooms, 'updateFor']).as('accounts.video_room.update').where('id', id)
  })
  .prefix('/staff')
  .as('staff')
  .use([middleware.staffAuth(), middleware.staffArea('staff')])
