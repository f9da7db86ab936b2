import type { HttpContext } from '@adonisjs/core/http'
import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import StaffUser from '#models/staff_user'
import { actorOf } from '#services/request_actor'
import { setVideoRoom } from '#actions/staff_accounts/set_video_room'
import { VIDEO_ROOM_URL_MESSAGE, videoRoomUrl } from '#validators/rules/video_room_url'

const videoRoomValidator = vine.create({ videoRoomUrl: videoRoomUrl().optional() })
videoRoomValidator.messagesProvider = new SimpleMessagesProvider({
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'videoRoomUrl.url': VIDEO_ROOM_URL_MESSAGE,
  'videoRoomUrl.regex': VIDEO_ROOM_URL_MESSAGE,
})

/*
| A staff member's own video room link (issue #19 item 5): /staff/video-room
| for oneself (every staff member), /staff/:id/video-room for anyone's in
| the Staff area (ceo, admin; the route group checks).
*/
export default class StaffVideoRoomsController {
  async edit(ctx: HttpContext) {
    return this.#form(ctx, ctx.auth.use('staff').getUserOrFail(), true)
  }

  async update(ctx: HttpContext) {
    return this.#save(ctx, ctx.auth.use('staff').getUserOrFail().id, 'staff.video_room.edit', {})
  }

  async editFor(ctx: HttpContext) {
    return this.#form(ctx, await StaffUser.findOrFail(ctx.params.id), false)
  }

  async updateFor(ctx: HttpContext) {
    const staff = await StaffUser.findOrFail(ctx.params.id)
    return this.#save(ctx, staff.id, 'staff.accounts.video_room.edit', { id: staff.id })
  }

  #form({ view }: HttpContext, staff: StaffUser, own: boolean) {
    return view.render('pages/staff/video_room/edit', { staff, own })
  }

  async #save(ctx: HttpContext, staffId: number, formRoute: string, params: Record<string, number>) {
    const { request, response, session } = ctx
    const [error, input] = await request.tryValidateUsing(videoRoomValidator)
    if (error) {
      session.flashValidationErrors(error)
      return response.redirect().toRoute(formRoute as any, params as any)
    }
    const changed = await setVideoRoom({ staffId, videoRoomUrl: input.videoRoomUrl ?? null }, actorOf(ctx))
    session.flash(changed ? 'success' : 'notice', changed ? 'The video room link is saved.' : 'Nothing was changed.')
    return response.redirect().toRoute(formRoute as any, params as any)
  }
}
