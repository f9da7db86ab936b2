import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { nextFreeTimes, type BookingHours } from '#support/free_times'

const zone = 'America/Chicago'
const hours: BookingHours = { opens: { hour: 8, minute: 0 }, closes: { hour: 18, minute: 0 }, weekdays: [1, 2, 3, 4, 5] }
const at = (text: string) => DateTime.fromISO(text, { zone })
const busy = (from: string, until: string) => ({ startsAt: at(from), endsAt: at(until) })
const shown = (times: DateTime[]) => times.map((time) => time.setZone(zone).toFormat("ccc yyyy-MM-dd'T'HH:mm"))

test.group('Free times for a booking', () => {
  test('the next free starts of the same length, back to back after a busy time, none overlapping another', ({ assert }) => {
    const times = nextFreeTimes({
      busy: [busy('2027-02-01T09:00', '2027-02-01T09:50'), busy('2027-02-01T11:00', '2027-02-01T12:00')],
      from: at('2027-02-01T09:15'),
      minutes: 50,
      zone,
      hours,
    })
    // 10:40 to 11:30 would run into the 11:00 appointment.
    assert.deepEqual(shown(times), ['Mon 2027-02-01T09:50', 'Mon 2027-02-01T12:00', 'Mon 2027-02-01T12:50'])
  })

  test('within working hours only: before opening starts at opening, past closing goes to the next working day', ({ assert }) => {
    const early = nextFreeTimes({ busy: [], from: at('2027-02-03T06:30'), minutes: 60, zone, hours })
    assert.deepEqual(shown(early), ['Wed 2027-02-03T08:00', 'Wed 2027-02-03T09:00', 'Wed 2027-02-03T10:00'])

    // Friday 17:30: an hour no longer fits; Saturday and Sunday are skipped.
    const friday = nextFreeTimes({ busy: [], from: at('2027-02-05T17:30'), minutes: 60, zone, hours })
    assert.deepEqual(shown(friday), ['Mon 2027-02-08T08:00', 'Mon 2027-02-08T09:00', 'Mon 2027-02-08T10:00'])

    // An appointment that would end after closing is not offered; ending exactly at closing is.
    const closing = nextFreeTimes({ busy: [], from: at('2027-02-03T16:30'), minutes: 90, zone, hours })
    assert.deepEqual(shown(closing), ['Wed 2027-02-03T16:30', 'Thu 2027-02-04T08:00', 'Thu 2027-02-04T09:30'])
  })

  test('an odd starting moment is rounded up to the next five minutes', ({ assert }) => {
    const times = nextFreeTimes({ busy: [], from: at('2027-02-03T14:07:31'), minutes: 30, count: 1, zone, hours })
    assert.deepEqual(shown(times), ['Wed 2027-02-03T14:10'])
  })

  test('working hours are read in the practice time zone across a daylight-saving change', ({ assert }) => {
    // Clocks go forward on Sunday 2027-03-14 in Chicago: Monday opens at 8:00 CDT.
    const times = nextFreeTimes({ busy: [], from: at('2027-03-12T17:30'), minutes: 50, count: 1, zone, hours })
    assert.equal(times[0].toMillis(), DateTime.fromISO('2027-03-15T13:00:00Z').toMillis())
  })

  test('a fully booked fortnight offers nothing rather than something wrong', ({ assert }) => {
    const times = nextFreeTimes({
      busy: [busy('2027-02-01T00:00', '2027-03-01T00:00')],
      from: at('2027-02-01T09:00'),
      minutes: 50,
      zone,
      hours,
      days: 14,
    })
    assert.deepEqual(times, [])
  })
})
