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
    /* The second sign-in step: not signed in yet, only behind the pending marker (sign_in.ts). */
    router.get('/login/two-factor', [controllers.StaffTwoFactorSession, 'create']).as('two_factor_session.create')
    router.post('/login/two-factor', [controllers.StaffTwoFactorSession, 'store']).as('two_factor_session.store')
  })
  .as('staff')
  .use(middleware.guest({ guard: 'staff' }))

router
  .group(() => {
    router.post('/logout', [controllers.StaffSession, 'destroy']).as('session.destroy')
    router.get('/dashboard', [controllers.staff.Dashboard, 'show']).as('dashboard').use(middleware.staffArea('dashboard'))
    router.get('/audit-log', [controllers.staff.AuditLog, 'index']).as('audit_log.index').use(middleware.staffArea('auditLog'))
    router.get('/audit-log/export', [controllers.staff.AuditLog, 'export']).as('audit_log.export').use(middleware.staffArea('auditLog'))
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

    /*
    | Links from emails: public, and reading one spends nothing (mail
    | scanners open links). Only a POST spends a token.
    */
    const token = { match: /^[A-Za-z0-9_-]{1,100}$/ }
    router.get('/invitations/:token', [controllers.portal.Invitations, 'show']).as('invitations.show').where('token', token)
    router.post('/invitations/:token', [controllers.portal.Invitations, 'accept']).as('invitations.accept').where('token', token)
    /* The language switch of the public pages (a link: works without JavaScript). */
    router
      .get('/language/:locale', [controllers.portal.Languages, 'update'])
      .as('language.update')
      .where('locale', { match: /^[a-z]{2}$/ })
    /*
    | "Leave this site" and its help page: open to anyone, signed in or not
    | (issue #18). Leaving only ends a session, so it needs no CSRF token.
    */
    router.get('/leave', [controllers.portal.QuickExit, 'leave']).as('quick_exit')
    router.get('/safety', [controllers.portal.Safety, 'show']).as('safety.show')
    router.get('/forgot-password', [controllers.portal.PasswordResets, 'create']).as('password_resets.create')
    router.post('/forgot-password', [controllers.portal.PasswordResets, 'store']).as('password_resets.store')
    router.get('/forgot-password/sent', [controllers.portal.PasswordResets, 'sent']).as('password_resets.sent')
    router.get('/reset-password/:token', [controllers.portal.PasswordResets, 'edit']).as('password_resets.edit').where('token', token)
    router.post('/reset-password/:token', [controllers.portal.PasswordResets, 'update']).as('password_resets.update').where('token', token)
    router.get('/sign-in-email/:token', [controllers.portal.SignInEmail, 'confirmation']).as('sign_in_email.confirmation').where('token', token)
    router.post('/sign-in-email/:token', [controllers.portal.SignInEmail, 'confirm']).as('sign_in_email.confirm').where('token', token)
    router
      .get('/appointment-actions/:token', [controllers.portal.AppointmentActions, 'show'])
      .as('appointment_actions.show')
      .where('token', token)
      .use(middleware.clientScheduling({ guard: false }))
    router
      .post('/appointment-actions/:token', [controllers.portal.AppointmentActions, 'act'])
      .as('appointment_actions.act')
      .where('token', token)
      .use(middleware.clientScheduling({ guard: false }))
    /* An emailed offer of an earlier time (issue #22): the waitlist is off in view_only (404). */
    router
      .get('/waitlist-offers/:token', [controllers.portal.WaitlistOffers, 'show'])
      .as('waitlist_offers.show')
      .where('token', token)
      .use(middleware.clientScheduling())
    router
      .post('/waitlist-offers/:token', [controllers.portal.WaitlistOffers, 'accept'])
      .as('waitlist_offers.accept')
      .where('token', token)
      .use(middleware.clientScheduling())

    router
      .group(() => {
        router.post('/logout', [controllers.ClientSession, 'destroy']).as('session.destroy')
        router.get('/onboarding', [controllers.portal.Onboarding, 'show']).as('onboarding.show')
        router.get('/onboarding/verify', [controllers.portal.Onboarding, 'verifyForm']).as('onboarding.verify_form')
        router.post('/onboarding/verify', [controllers.portal.Onboarding, 'verify']).as('onboarding.verify')
      })
      .use(middleware.portalAuth({ stage: 'onboarding' }))

    /* The profile step writes client data: the onboarding stage in the protected RLS context. */
    router
      .group(() => {
        router.get('/onboarding/profile', [controllers.portal.Onboarding, 'profileForm']).as('onboarding.profile_form')
        router.post('/onboarding/profile', [controllers.portal.Onboarding, 'profile']).as('onboarding.profile')
      })
      .use([middleware.portalAuth({ stage: 'onboarding' }), middleware.portalContext()])

    router
      .group(() => {
        router.get('/', [controllers.portal.Home, 'show']).as('home')

        router.get('/switch', [controllers.portal.ActiveClient, 'edit']).as('active_client.edit')
        router.post('/switch', [controllers.portal.ActiveClient, 'update']).as('active_client.update')

        router.get('/appointments', [controllers.portal.Appointments, 'index']).as('appointments.index')
        router.get('/appointments/:id', [controllers.portal.Appointments, 'show']).as('appointments.show').where('id', router.matchers.number())
        router
          .get('/appointments/:id/confirm-or-cancel', [controllers.portal.AppointmentActions, 'edit'])
          .as('appointments.actions')
          .where('id', router.matchers.number())
        router
          .post('/appointments/:id/confirm-or-cancel', [controllers.portal.AppointmentActions, 'update'])
          .as('appointments.act')
          .where('id', router.matchers.number())
        router
          .post('/appointments/:id/cancel', [controllers.portal.AppointmentActions, 'cancel'])
          .as('appointments.cancel')
          .where('id', router.matchers.number())
          .use(middleware.clientScheduling())
        router
          .get('/appointments/:id/calendar.ics', [controllers.portal.AppointmentCalendars, 'show'])
          .as('appointments.calendar')
          .where('id', router.matchers.number())

        /* Asking for an appointment or to move one (issue #19): absent in the view_only mode. */
        router
          .group(() => {
            router.get('/appointment-requests', [controllers.portal.AppointmentRequests, 'index']).as('appointment_requests.index')
            router.get('/appointment-requests/new', [controllers.portal.AppointmentRequests, 'create']).as('appointment_requests.create')
            router.post('/appointment-requests', [controllers.portal.AppointmentRequests, 'store']).as('appointment_requests.store')
            router
              .post('/appointment-requests/:id/withdraw', [controllers.portal.AppointmentRequests, 'withdraw'])
              .as('appointment_requests.withdraw')
              .where('id', router.matchers.number())
          })
          .use(middleware.clientScheduling())

        /* The waitlist (issue #22): every level may (DESIGN §14); absent in the view_only mode. */
        router
          .group(() => {
            router
              .get('/appointments/:id/waitlist', [controllers.portal.WaitlistEntries, 'create'])
              .as('waitlist.create')
              .where('id', router.matchers.number())
            router
              .post('/appointments/:id/waitlist', [controllers.portal.WaitlistEntries, 'store'])
              .as('waitlist.store')
              .where('id', router.matchers.number())
            router
              .post('/waitlist/:id/leave', [controllers.portal.WaitlistEntries, 'leave'])
              .as('waitlist.leave')
              .where('id', router.matchers.number())
          })
          .use(middleware.clientScheduling())

        // Shared resources: levels full and appointments_and_resources (DESIGN §14).
        router
          .group(() => {
            router.get('/resources', [controllers.portal.Resources, 'index']).as('resources.index')
            router
              .get('/resources/:id/download', [controllers.portal.ResourceDownloads, 'show'])
              .as('resources.download')
              .where('id', router.matchers.number())
          })
          .use(middleware.portalLevel('resources'))

        router.get('/account', [controllers.portal.Account, 'show']).as('account.show')
        router.post('/account/language', [controllers.portal.AccountLanguage, 'update']).as('account_language.update')
        router.get('/account/activity', [controllers.portal.AccountActivity, 'show']).as('account_activity.show')
        router
          .post('/account/activity/sign-out-others', [controllers.portal.AccountActivity, 'signOutOthers'])
          .as('account_activity.sign_out_others')
        router
          .post('/account/caregivers/:id/level', [controllers.portal.CaregiverLevels, 'update'])
          .as('caregiver_levels.update')
          .where('id', router.matchers.number())

        // Contact details, emergency contacts, preferences: level full only (DESIGN §14).
        router
          .group(() => {
            router.post('/account/contact', [controllers.portal.ContactDetails, 'update']).as('contact_details.update')
            router.post('/account/preferences', [controllers.portal.Preferences, 'update']).as('preferences.update')
            router.post('/account/emergency-contacts', [controllers.portal.EmergencyContacts, 'store']).as('emergency_contacts.store')
            router
              .get('/account/emergency-contacts/:id/edit', [controllers.portal.EmergencyContacts, 'edit'])
              .as('emergency_contacts.edit')
              .where('id', router.matchers.number())
            router
              .post('/account/emergency-contacts/:id', [controllers.portal.EmergencyContacts, 'update'])
              .as('emergency_contacts.update')
              .where('id', router.matchers.number())
            router
              .get('/account/emergency-contacts/:id/delete', [controllers.portal.EmergencyContacts, 'confirmDestroy'])
              .as('emergency_contacts.confirm_destroy')
              .where('id', router.matchers.number())
            router
              .post('/account/emergency-contacts/:id/delete', [controllers.portal.EmergencyContacts, 'destroy'])
              .as('emergency_contacts.destroy')
              .where('id', router.matchers.number())
          })
          .use(middleware.portalLevel('contact'))
        router.post('/account/sign-in-email', [controllers.portal.SignInEmail, 'update']).as('sign_in_email.update')
        router.post('/account/password', [controllers.portal.SignInPassword, 'update']).as('sign_in_password.update')
      })
      .use([middleware.portalAuth(), middleware.portalContext(), middleware.clientScheduling({ guard: false })])
  })
  .prefix('/portal')
  .as('portal')

/*
| Staff areas with routes of their own.
*/
await import('#start/routes/clients')
await import('#start/routes/appointments')
await import('#start/routes/resource_library')
await import('#start/routes/portal_settings')
await import('#start/routes/staff_accounts')
await import('#start/routes/insights')
// Registered everywhere so the generated route types are one file; it answers only in development.
await import('#start/routes/dev_mailbox')
