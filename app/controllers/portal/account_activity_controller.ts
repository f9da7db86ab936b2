import type { HttpContext } from '@adonisjs/core/http'
import {
  ACTIVITY_DAYS,
  openSessions,
  recentSignIns,
  signOutOtherSessions,
  type DeviceGuess,
} from '#actions/account_activity/account_activity'
import { auditPortal } from '#services/audit'
import { actorOf } from '#services/request_actor'
import { epochKey } from '#services/signed_in_session'

/*
| Account activity (/portal/account/activity): the signed-in account's own
| sign-ins of the last 90 days and its open sessions, and "sign out of all
| other sessions". Only ever this account's: the account is the one the
| guard signed in, never an id from the request.
*/
export default class AccountActivityController {
  async show(ctx: HttpContext) {
    const { view, portal, session } = ctx
    const [signIns, sessions] = await Promise.all([
      recentSignIns(portal.account),
      openSessions(portal.account, session.sessionId),
    ])
    if (!ctx.htmx.repeatView) await auditPortal(ctx, 'portal.account_activity.viewed')
    // "Firefox on Windows, a computer", in the reader's language; approximate, from the user agent.
    const describe = (device: DeviceGuess) =>
      device.browser || device.system
        ? ctx.i18n.t('family.activity.device', {
            browser: device.browser ?? '-',
            system: device.system ?? '-',
            kind: device.kind ?? 'other',
          })
        : ctx.i18n.t('family.activity.unknown_device')
    return view.render('pages/portal/account/activity', {
      signIns: signIns.map((entry) => ({ ...entry, deviceText: describe(entry.device) })),
      sessions: sessions.map((entry) => ({ ...entry, deviceText: describe(entry.device) })),
      otherSessions: sessions.filter((entry) => !entry.current).length,
      days: ACTIVITY_DAYS,
    })
  }

  async signOutOthers(ctx: HttpContext) {
    const { response, session, portal } = ctx
    const epoch = await signOutOtherSessions(portal.account, session.sessionId, actorOf(ctx))
    // This session carries on under the new epoch; every other one is signed out.
    session.put(epochKey('client_users'), epoch)
    session.flash('success', ctx.i18n.t('family.activity.signed_out_others'))
    return response.redirect().toRoute('portal.account_activity.show')
  }
}
