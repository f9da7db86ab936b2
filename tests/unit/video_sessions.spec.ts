import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { VIDEO_JOIN_LEAD_MINUTES, videoSessionAt } from '#support/video_sessions'

/* The join window of a video session (issue #19 item 5), with the clock passed in. */
const startsAt = DateTime.fromISO('2026-03-09T14:00:00Z')
const session = (changes: Partial<{ isTelehealth: boolean; status: string }> = {}) => ({
  isTelehealth: true,
  status: 'scheduled',
  startsAt,
  endsAt: startsAt.plus({ minutes: 50 }),
  ...changes,
})
const url = 'https://video.example.test/room-1'

test.group('Video sessions: when the client may join', () => {
  test('before 15 minutes ahead: when it opens; from then until the end: the link; after: nothing', ({ assert }) => {
    const opensAt = startsAt.minus({ minutes: VIDEO_JOIN_LEAD_MINUTES })
    assert.deepEqual(videoSessionAt(session(), url, opensAt.minus({ milliseconds: 1 })), { state: 'not_yet', opensAt })
    assert.deepEqual(videoSessionAt(session(), url, opensAt), { state: 'open', url })
    assert.deepEqual(videoSessionAt(session(), url, startsAt.plus({ minutes: 49, seconds: 59 })), { state: 'open', url })
    assert.isNull(videoSessionAt(session(), url, startsAt.plus({ minutes: 50 })))
  })

  test('no room yet: said so inside the window; none for in person or cancelled sessions', ({ assert }) => {
    assert.deepEqual(videoSessionAt(session(), null, startsAt), { state: 'no_link' })
    assert.isNull(videoSessionAt(session({ isTelehealth: false }), url, startsAt))
    assert.isNull(videoSessionAt(session({ status: 'cancelled' }), url, startsAt))
    assert.isNull(videoSessionAt(session({ status: 'late_cancelled' }), url, startsAt))
  })
})
