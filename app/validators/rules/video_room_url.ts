import vine from '@vinejs/vine'

/*
| A video room's address (issue #19 item 5): https only, one plain URL of at
| most 500 characters; the database checks the same (appointments_video_url,
| staff_users_video_room_url).
*/
export const VIDEO_ROOM_URL_MESSAGE = 'Please enter the video room’s full address, starting with https://.'

export const videoRoomUrl = () =>
  vine
    .string()
    .trim()
    .maxLength(500)
    .url({ protocols: ['https'], require_protocol: true, require_tld: true })
    .regex(/^https:\/\/[^\s<>"]+$/)
