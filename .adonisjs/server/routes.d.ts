import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.session.store': { paramsTuple?: []; params?: {} }
    'staff.two_factor_session.create': { paramsTuple?: []; params?: {} }
    'staff.two_factor_session.store': { paramsTuple?: []; params?: {} }
    'staff.session.destroy': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'staff.audit_log.index': { paramsTuple?: []; params?: {} }
    'staff.audit_log.export': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.session.store': { paramsTuple?: []; params?: {} }
    'portal.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.language.update': { paramsTuple: [ParamValue]; params: {'locale': ParamValue} }
    'portal.quick_exit': { paramsTuple?: []; params?: {} }
    'portal.safety.show': { paramsTuple?: []; params?: {} }
    'portal.password_resets.create': { paramsTuple?: []; params?: {} }
    'portal.password_resets.store': { paramsTuple?: []; params?: {} }
    'portal.password_resets.sent': { paramsTuple?: []; params?: {} }
    'portal.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.password_resets.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.sign_in_email.confirmation': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.sign_in_email.confirm': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.appointment_actions.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.appointment_actions.act': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.waitlist_offers.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.waitlist_offers.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.onboarding.show': { paramsTuple?: []; params?: {} }
    'portal.onboarding.verify_form': { paramsTuple?: []; params?: {} }
    'portal.onboarding.verify': { paramsTuple?: []; params?: {} }
    'portal.onboarding.profile_form': { paramsTuple?: []; params?: {} }
    'portal.onboarding.profile': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
    'portal.active_client.edit': { paramsTuple?: []; params?: {} }
    'portal.active_client.update': { paramsTuple?: []; params?: {} }
    'portal.appointments.index': { paramsTuple?: []; params?: {} }
    'portal.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.actions': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.act': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.cancel': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.calendar': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointment_requests.index': { paramsTuple?: []; params?: {} }
    'portal.appointment_requests.create': { paramsTuple?: []; params?: {} }
    'portal.appointment_requests.store': { paramsTuple?: []; params?: {} }
    'portal.appointment_requests.withdraw': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.waitlist.create': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.waitlist.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.waitlist.leave': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.resources.index': { paramsTuple?: []; params?: {} }
    'portal.resources.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account.show': { paramsTuple?: []; params?: {} }
    'portal.account_language.update': { paramsTuple?: []; params?: {} }
    'portal.account_activity.show': { paramsTuple?: []; params?: {} }
    'portal.account_activity.sign_out_others': { paramsTuple?: []; params?: {} }
    'portal.caregiver_levels.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.contact_details.update': { paramsTuple?: []; params?: {} }
    'portal.preferences.update': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.store': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.confirm_destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.sign_in_email.update': { paramsTuple?: []; params?: {} }
    'portal.sign_in_password.update': { paramsTuple?: []; params?: {} }
    'staff.clients.index': { paramsTuple?: []; params?: {} }
    'staff.clients.search.store': { paramsTuple?: []; params?: {} }
    'staff.clients.search.destroy': { paramsTuple?: []; params?: {} }
    'staff.clients.picker.search': { paramsTuple?: []; params?: {} }
    'staff.clients.create': { paramsTuple?: []; params?: {} }
    'staff.clients.store': { paramsTuple?: []; params?: {} }
    'staff.clients.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.contact_rules.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.calendar': { paramsTuple?: []; params?: {} }
    'staff.appointments.create': { paramsTuple?: []; params?: {} }
    'staff.appointments.store': { paramsTuple?: []; params?: {} }
    'staff.appointments.requests.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.requests.decline': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.waitlist.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.waitlist.remove': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.store': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.deactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.activate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.cancel': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.outcome': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.note.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.waitlist.add': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.index': { paramsTuple?: []; params?: {} }
    'staff.resource_library.create': { paramsTuple?: []; params?: {} }
    'staff.resource_library.store': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.index': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.store': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.reorder': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.categories.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.archive': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.unarchive': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.share_search.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.shares.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.shares.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'clientId': ParamValue} }
    'staff.portal_settings.index': { paramsTuple?: []; params?: {} }
    'staff.portal_settings.practice.update': { paramsTuple?: []; params?: {} }
    'staff.portal_settings.invitations.store': { paramsTuple?: []; params?: {} }
    'staff.portal_settings.invitations.resend': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.invitations.revoke': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.accounts.disable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.accounts.enable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.links.end': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.links.level': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.mail.retry': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.password_resets.create': { paramsTuple?: []; params?: {} }
    'staff.password_resets.store': { paramsTuple?: []; params?: {} }
    'staff.password_resets.sent': { paramsTuple?: []; params?: {} }
    'staff.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.password_resets.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.two_factor.show': { paramsTuple?: []; params?: {} }
    'staff.two_factor.setup': { paramsTuple?: []; params?: {} }
    'staff.two_factor.confirm': { paramsTuple?: []; params?: {} }
    'staff.video_room.edit': { paramsTuple?: []; params?: {} }
    'staff.video_room.update': { paramsTuple?: []; params?: {} }
    'staff.accounts.index': { paramsTuple?: []; params?: {} }
    'staff.accounts.store': { paramsTuple?: []; params?: {} }
    'staff.accounts.role': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.deactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.reactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.resend': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.video_room.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.video_room.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.insights.index': { paramsTuple?: []; params?: {} }
    'staff.insights.outreach': { paramsTuple?: []; params?: {} }
    'staff.insights.export': { paramsTuple?: []; params?: {} }
    'dev.mailbox.index': { paramsTuple?: []; params?: {} }
    'dev.mailbox.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'dev.mailbox.raw': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  GET: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.two_factor_session.create': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'staff.audit_log.index': { paramsTuple?: []; params?: {} }
    'staff.audit_log.export': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.language.update': { paramsTuple: [ParamValue]; params: {'locale': ParamValue} }
    'portal.quick_exit': { paramsTuple?: []; params?: {} }
    'portal.safety.show': { paramsTuple?: []; params?: {} }
    'portal.password_resets.create': { paramsTuple?: []; params?: {} }
    'portal.password_resets.sent': { paramsTuple?: []; params?: {} }
    'portal.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.sign_in_email.confirmation': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.appointment_actions.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.waitlist_offers.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.onboarding.show': { paramsTuple?: []; params?: {} }
    'portal.onboarding.verify_form': { paramsTuple?: []; params?: {} }
    'portal.onboarding.profile_form': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
    'portal.active_client.edit': { paramsTuple?: []; params?: {} }
    'portal.appointments.index': { paramsTuple?: []; params?: {} }
    'portal.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.actions': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.calendar': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointment_requests.index': { paramsTuple?: []; params?: {} }
    'portal.appointment_requests.create': { paramsTuple?: []; params?: {} }
    'portal.waitlist.create': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.resources.index': { paramsTuple?: []; params?: {} }
    'portal.resources.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account.show': { paramsTuple?: []; params?: {} }
    'portal.account_activity.show': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.confirm_destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.index': { paramsTuple?: []; params?: {} }
    'staff.clients.create': { paramsTuple?: []; params?: {} }
    'staff.clients.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.calendar': { paramsTuple?: []; params?: {} }
    'staff.appointments.create': { paramsTuple?: []; params?: {} }
    'staff.appointments.requests.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.waitlist.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.index': { paramsTuple?: []; params?: {} }
    'staff.resource_library.create': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.index': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.index': { paramsTuple?: []; params?: {} }
    'staff.password_resets.create': { paramsTuple?: []; params?: {} }
    'staff.password_resets.sent': { paramsTuple?: []; params?: {} }
    'staff.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.two_factor.show': { paramsTuple?: []; params?: {} }
    'staff.two_factor.setup': { paramsTuple?: []; params?: {} }
    'staff.video_room.edit': { paramsTuple?: []; params?: {} }
    'staff.accounts.index': { paramsTuple?: []; params?: {} }
    'staff.accounts.video_room.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.insights.index': { paramsTuple?: []; params?: {} }
    'staff.insights.outreach': { paramsTuple?: []; params?: {} }
    'staff.insights.export': { paramsTuple?: []; params?: {} }
    'dev.mailbox.index': { paramsTuple?: []; params?: {} }
    'dev.mailbox.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'dev.mailbox.raw': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  HEAD: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.two_factor_session.create': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'staff.audit_log.index': { paramsTuple?: []; params?: {} }
    'staff.audit_log.export': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.language.update': { paramsTuple: [ParamValue]; params: {'locale': ParamValue} }
    'portal.quick_exit': { paramsTuple?: []; params?: {} }
    'portal.safety.show': { paramsTuple?: []; params?: {} }
    'portal.password_resets.create': { paramsTuple?: []; params?: {} }
    'portal.password_resets.sent': { paramsTuple?: []; params?: {} }
    'portal.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.sign_in_email.confirmation': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.appointment_actions.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.waitlist_offers.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.onboarding.show': { paramsTuple?: []; params?: {} }
    'portal.onboarding.verify_form': { paramsTuple?: []; params?: {} }
    'portal.onboarding.profile_form': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
    'portal.active_client.edit': { paramsTuple?: []; params?: {} }
    'portal.appointments.index': { paramsTuple?: []; params?: {} }
    'portal.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.actions': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.calendar': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointment_requests.index': { paramsTuple?: []; params?: {} }
    'portal.appointment_requests.create': { paramsTuple?: []; params?: {} }
    'portal.waitlist.create': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.resources.index': { paramsTuple?: []; params?: {} }
    'portal.resources.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account.show': { paramsTuple?: []; params?: {} }
    'portal.account_activity.show': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.confirm_destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.index': { paramsTuple?: []; params?: {} }
    'staff.clients.create': { paramsTuple?: []; params?: {} }
    'staff.clients.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.calendar': { paramsTuple?: []; params?: {} }
    'staff.appointments.create': { paramsTuple?: []; params?: {} }
    'staff.appointments.requests.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.waitlist.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.index': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.index': { paramsTuple?: []; params?: {} }
    'staff.resource_library.create': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.index': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.index': { paramsTuple?: []; params?: {} }
    'staff.password_resets.create': { paramsTuple?: []; params?: {} }
    'staff.password_resets.sent': { paramsTuple?: []; params?: {} }
    'staff.password_resets.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.two_factor.show': { paramsTuple?: []; params?: {} }
    'staff.two_factor.setup': { paramsTuple?: []; params?: {} }
    'staff.video_room.edit': { paramsTuple?: []; params?: {} }
    'staff.accounts.index': { paramsTuple?: []; params?: {} }
    'staff.accounts.video_room.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.insights.index': { paramsTuple?: []; params?: {} }
    'staff.insights.outreach': { paramsTuple?: []; params?: {} }
    'staff.insights.export': { paramsTuple?: []; params?: {} }
    'dev.mailbox.index': { paramsTuple?: []; params?: {} }
    'dev.mailbox.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'dev.mailbox.raw': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  POST: {
    'staff.session.store': { paramsTuple?: []; params?: {} }
    'staff.two_factor_session.store': { paramsTuple?: []; params?: {} }
    'staff.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.session.store': { paramsTuple?: []; params?: {} }
    'portal.invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.password_resets.store': { paramsTuple?: []; params?: {} }
    'portal.password_resets.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.sign_in_email.confirm': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.appointment_actions.act': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.waitlist_offers.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'portal.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.onboarding.verify': { paramsTuple?: []; params?: {} }
    'portal.onboarding.profile': { paramsTuple?: []; params?: {} }
    'portal.active_client.update': { paramsTuple?: []; params?: {} }
    'portal.appointments.act': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.cancel': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointment_requests.store': { paramsTuple?: []; params?: {} }
    'portal.appointment_requests.withdraw': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.waitlist.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.waitlist.leave': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account_language.update': { paramsTuple?: []; params?: {} }
    'portal.account_activity.sign_out_others': { paramsTuple?: []; params?: {} }
    'portal.caregiver_levels.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.contact_details.update': { paramsTuple?: []; params?: {} }
    'portal.preferences.update': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.store': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.sign_in_email.update': { paramsTuple?: []; params?: {} }
    'portal.sign_in_password.update': { paramsTuple?: []; params?: {} }
    'staff.clients.search.store': { paramsTuple?: []; params?: {} }
    'staff.clients.search.destroy': { paramsTuple?: []; params?: {} }
    'staff.clients.picker.search': { paramsTuple?: []; params?: {} }
    'staff.clients.store': { paramsTuple?: []; params?: {} }
    'staff.clients.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.clients.contact_rules.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.store': { paramsTuple?: []; params?: {} }
    'staff.appointments.requests.decline': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.waitlist.remove': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.store': { paramsTuple?: []; params?: {} }
    'staff.appointments.types.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.deactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.types.activate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.cancel': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.outcome': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.note.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.appointments.waitlist.add': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.store': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.store': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.reorder': { paramsTuple?: []; params?: {} }
    'staff.resource_library.categories.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.archive': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.unarchive': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.share_search.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.shares.store': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.resource_library.shares.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'id': ParamValue,'clientId': ParamValue} }
    'staff.portal_settings.practice.update': { paramsTuple?: []; params?: {} }
    'staff.portal_settings.invitations.store': { paramsTuple?: []; params?: {} }
    'staff.portal_settings.invitations.resend': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.invitations.revoke': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.accounts.disable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.accounts.enable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.links.end': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.links.level': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.portal_settings.mail.retry': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.password_resets.store': { paramsTuple?: []; params?: {} }
    'staff.password_resets.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'staff.two_factor.confirm': { paramsTuple?: []; params?: {} }
    'staff.video_room.update': { paramsTuple?: []; params?: {} }
    'staff.accounts.store': { paramsTuple?: []; params?: {} }
    'staff.accounts.role': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.deactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.reactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.resend': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'staff.accounts.video_room.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}