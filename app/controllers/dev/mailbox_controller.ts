import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { listCapturedMail, readCapturedEml, readCapturedMail } from '#services/mail_capture'

/*
| Development only: the mail captured in tmp/mail when no SMTP server is
| configured (config/mail.ts). Its routes exist in every environment (one set
| of generated route types); outside development each answers 404 here.
*/
export default class DevMailboxController {
  async index({ view, response }: HttpContext) {
    if (!app.inDev) return response.notFound()
    const mails = await listCapturedMail(app.tmpPath('mail'))
    return view.render('pages/dev/mailbox/index', { mails: mails.slice(0, 200) })
  }

  async show({ params, view, response }: HttpContext) {
    if (!app.inDev) return response.notFound()
    const mail = await readCapturedMail(app.tmpPath('mail'), String(params.id))
    if (!mail) return response.notFound('No such captured mail')
    const links = [...new Set(mail.text.match(/https?:\/\/[^\s<>"']+/g) ?? [])]
    return view.render('pages/dev/mailbox/show', { mail, links })
  }

  /** The message exactly as a server would have received it. */
  async raw({ params, response }: HttpContext) {
    if (!app.inDev) return response.notFound()
    const eml = await readCapturedEml(app.tmpPath('mail'), String(params.id))
    if (!eml) return response.notFound('No such captured mail')
    response.header('content-type', 'message/rfc822')
    response.header('content-disposition', `attachment; filename="${params.id}.eml"`)
    return response.send(eml)
  }
}
