import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import Client from '#models/client'
import { practiceNow, practiceToday } from '#support/practice_time'

/*
| The day rules every portal request asks (issue #25 made them cheaper):
| the practice's current day, kept while it lasts, and birthdays compared as
| calendar days.
*/

/** Runs `check` with Date.now() answering `millis`. */
function at<T>(millis: number, check: () => T): T {
  const realNow = Date.now
  Date.now = () => millis
  try {
    return check()
  } finally {
    Date.now = realNow
  }
}

const inZone = (iso: string) => DateTime.fromISO(iso, { zone: practice.timeZone })

/** The rule as it was written with luxon date arithmetic, to compare against. */
function birthdayReached(dateOfBirth: string, today: DateTime, age: number) {
  const { year, month, day } = DateTime.fromISO(dateOfBirth)
  const birthday = DateTime.fromObject({ year: year + age, month, day: 1 }, { zone: today.zone }).plus({ days: day - 1 })
  return today >= birthday.startOf('day')
}

test.group('Practice day', () => {
  test('the current day is the start of today in the practice zone', ({ assert }) => {
    assert.equal(practiceToday().toISO(), practiceNow().startOf('day').toISO())
    assert.equal(practiceToday().zoneName, practice.timeZone)
  })

  test('the kept day moves on at the practice midnight, and back when the clock does', ({ assert }) => {
    const midnight = inZone('2026-11-02T00:00:00').toMillis()
    assert.equal(at(midnight - 1, practiceToday).toISODate(), '2026-11-01')
    assert.equal(at(midnight, practiceToday).toISODate(), '2026-11-02')
    assert.equal(at(midnight + 86_399_999, practiceToday).toISODate(), '2026-11-02')
    assert.equal(at(midnight - 1, practiceToday).toISODate(), '2026-11-01')
    // A day of 25 hours (the clocks go back on 1 November 2026 in the US zones) still ends at its own midnight.
    const dstDay = inZone('2026-11-01T00:00:00').toMillis()
    assert.equal(at(dstDay, practiceToday).toISODate(), '2026-11-01')
    assert.equal(at(midnight - 1, practiceToday).toISODate(), '2026-11-01')
  })

  test('an 18th birthday as a calendar day: the day before no, the day itself yes', ({ assert }) => {
    const client = new Client().merge({ dateOfBirth: DateTime.fromISO('2008-06-15') })
    assert.isFalse(client.isAdultOn(inZone('2026-06-14T23:59:59')))
    assert.isTrue(client.isAdultOn(inZone('2026-06-15T00:00:00')))
    assert.isFalse(new Client().isAdultOn(inZone('2026-06-15T00:00:00')))
  })

  test('every birthday of two leap-year cycles gives what the date arithmetic gave, adult and teen', ({ assert }) => {
    const client = new Client()
    let checked = 0
    for (let day = DateTime.fromISO('2007-12-25'); day < DateTime.fromISO('2009-03-05'); day = day.plus({ days: 1 })) {
      const dateOfBirth = day.toISODate()!
      client.dateOfBirth = DateTime.fromISO(dateOfBirth)
      for (const offset of [-1, 0, 1]) {
        const adultDay = inZone(`${day.year + 18}-03-01T10:00:00`).set({ month: day.month, day: 1 }).plus({ days: day.day - 1 + offset })
        assert.equal(client.isAdultOn(adultDay), birthdayReached(dateOfBirth, adultDay, 18), `${dateOfBirth} on ${adultDay.toISODate()}`)
        const teenDay = adultDay.minus({ years: 5 })
        assert.equal(client.isTeenOn(teenDay, 13), birthdayReached(dateOfBirth, teenDay, 13), `${dateOfBirth} teen on ${teenDay.toISODate()}`)
        checked += 1
      }
    }
    assert.isAbove(checked, 1200)
  })
})
