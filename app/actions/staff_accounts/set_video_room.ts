import StaffUser from '#models/staff_user'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| A clinician's own video room (issue #19 item 5): the room her telehealth
| appointments take when they carry none of their own. Set by herself, or by
| a ceo or admin from the Staff area. Audited with the field name only,
| never the address.
*/
export async function setVideoRoom(input: { staffId: number; videoRoomUrl: string | null }, actor: Actor) {
  const staff = await StaffUser.findOrFail(input.staffId)
  const before = staff.videoRoomUrl
  staff.videoRoomUrl = input.videoRoomUrl || null
  if (staff.videoRoomUrl === before) return false
  await staff.save()
  await auditStaffOrOperator(actor, 'staff_account.video_room_changed', {
    detail: { staffId: staff.id, fields: 'videoRoomUrl', set: staff.videoRoomUrl !== null },
  })
  return true
}
