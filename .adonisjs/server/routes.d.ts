import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.session.store': { paramsTuple?: []; params?: {} }
    'staff.session.destroy': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'staff.audit_log.index': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.session.store': { paramsTuple?: []; params?: {} }
    'portal.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
    'portal.active_client.edit': { paramsTuple?: []; params?: {} }
    'portal.active_client.update': { paramsTuple?: []; params?: {} }
    'portal.appointments.index': { paramsTuple?: []; params?: {} }
    'portal.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.calendar': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.resources.index': { paramsTuple?: []; params?: {} }
    'portal.resources.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account.show': { paramsTuple?: []; params?: {} }
    'portal.contact_details.update': { paramsTuple?: []; params?: {} }
    'portal.preferences.update': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.store': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.sign_in_email.update': { paramsTuple?: []; params?: {} }
    'portal.sign_in_password.update': { paramsTuple?: []; params?: {} }
  }
  GET: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'staff.audit_log.index': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
    'portal.active_client.edit': { paramsTuple?: []; params?: {} }
    'portal.appointments.index': { paramsTuple?: []; params?: {} }
    'portal.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.calendar': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.resources.index': { paramsTuple?: []; params?: {} }
    'portal.resources.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account.show': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  HEAD: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'staff.audit_log.index': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
    'portal.active_client.edit': { paramsTuple?: []; params?: {} }
    'portal.appointments.index': { paramsTuple?: []; params?: {} }
    'portal.appointments.show': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.appointments.calendar': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.resources.index': { paramsTuple?: []; params?: {} }
    'portal.resources.download': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.account.show': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  POST: {
    'staff.session.store': { paramsTuple?: []; params?: {} }
    'staff.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.session.store': { paramsTuple?: []; params?: {} }
    'portal.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.active_client.update': { paramsTuple?: []; params?: {} }
    'portal.contact_details.update': { paramsTuple?: []; params?: {} }
    'portal.preferences.update': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.store': { paramsTuple?: []; params?: {} }
    'portal.emergency_contacts.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.emergency_contacts.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'portal.sign_in_email.update': { paramsTuple?: []; params?: {} }
    'portal.sign_in_password.update': { paramsTuple?: []; params?: {} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}