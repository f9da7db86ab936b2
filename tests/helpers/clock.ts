/*
| Moving time forward for the app under test. The HTTP server runs in this
| same process, and the idle rule (SignedInMiddleware) and the session store
| read the time with Date.now(), so shifting Date.now moves their clock with
| nothing in the app changed. Only Date.now is touched: timers, `new Date()`
| and the database keep real time. Restore it in the test's cleanup:
|   const clock = shiftableClock()
|   cleanup(() => clock.restore())
|   clock.forward({ minutes: 14 })
*/
export function shiftableClock() {
  const realNow = Date.now
  let offset = 0
  Date.now = () => realNow() + offset
  return {
    forward({ minutes }: { minutes: number }) {
      offset += minutes * 60_000
    },
    restore() {
      Date.now = realNow
    },
  }
}
