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
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.session.store': { paramsTuple?: []; params?: {} }
    'portal.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
  }
  GET: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
  }
  HEAD: {
    'landing': { paramsTuple?: []; params?: {} }
    'health': { paramsTuple?: []; params?: {} }
    'staff.session.create': { paramsTuple?: []; params?: {} }
    'staff.dashboard': { paramsTuple?: []; params?: {} }
    'portal.session.create': { paramsTuple?: []; params?: {} }
    'portal.home': { paramsTuple?: []; params?: {} }
  }
  POST: {
    'staff.session.store': { paramsTuple?: []; params?: {} }
    'staff.session.destroy': { paramsTuple?: []; params?: {} }
    'portal.session.store': { paramsTuple?: []; params?: {} }
    'portal.session.destroy': { paramsTuple?: []; params?: {} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}