import type { HttpContext } from '@adonisjs/core/http'
import PracticeSetting, { DEFAULT_QUICK_EXIT_URL } from '#models/practice_setting'
import { audit } from '#services/audit'

/*
| "Leave this site" (issue #18, DESIGN §13): a plain link, so it works
| without JavaScript and from every portal page, public or signed in. It ends
| the portal session, asks the browser to drop this site's cookies and cached
| pages, and sends the visitor to the practice's neutral address.
|
| A GET that only ends a session: nothing in the request is read (no `next`,
| no body), so it cannot be pointed anywhere else or made to do anything
| else. Another site linking here can at most sign a visitor out.
*/
export default class QuickExitController {
  async leave(ctx: HttpContext) {
    const { response } = ctx
    const exitUrl = await PracticeSetting.current()
      .then((settings) => settings.quickExitUrl)
      // Leaving must never fail: without the settings, the default neutral address.
      .catch(() => DEFAULT_QUICK_EXIT_URL)
    // Signing out needs the session store; if it is away, Clear-Site-Data still drops the cookie.
    await signOut(ctx).catch((error) => ctx.logger.warn(`Quick exit could not end the session: ${(error as Error).message}`))

    response.header('Clear-Site-Data', '"cache", "cookies"')
    response.header('Cache-Control', 'no-store')
    // Not response.redirect(): its body would repeat the address; this answer says nothing at all.
    response.header('Location', exitUrl)
    response.status(303)
    return response.send('')
  }
}

async function signOut(ctx: HttpContext) {
  const guard = ctx.auth.use('client_users')
  // No auth middleware on this route: ask the session who (if anyone) is signed in.
  const account = (await guard.check()) ? guard.user : null
  if (account) await guard.logout()
  // An empty session is deleted from the store, so the old cookie replayed later opens nothing.
  ctx.session.clear()
  if (account) {
    await audit(ctx, { action: 'portal.quick_exit', actorKind: 'client_user', actorId: account.id })
  }
}
