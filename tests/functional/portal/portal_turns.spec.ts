import { test } from '@japa/runner'
import { createAppointment, createClient, createPortalAccount, createSharedResource, createStaff } from '#database/factories/main'
import { portalTurns } from '#middleware/portal_turns_middleware'
import { signIn } from '#tests/helpers/sign_in'
import { WebSession } from '#tests/helpers/web'

/*
| Portal pages take turns (middleware/portal_turns_middleware.ts, issue
| #25): at most four portal page requests are worked on at once in a web
| process, the rest wait in the order they came, and every one is answered.
*/

/** Watches the turns while `work` runs: the most worked on at once, and whether any waited. */
async function watchTurns<T>(work: () => Promise<T>) {
  let done = false
  let mostWorking = 0
  let mostWaiting = 0
  const watcher = (async () => {
    while (!done) {
      const now = portalTurns()
      mostWorking = Math.max(mostWorking, now.working)
      mostWaiting = Math.max(mostWaiting, now.waiting)
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()
  try {
    return { result: await work(), mostWorking, mostWaiting }
  } finally {
    done = true
    await watcher
  }
}

test.group('Portal pages take turns', () => {
  test('sixteen pages at once: four worked on together, the others wait, all answered in full', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    await createAppointment(client, await createStaff('clinician'))
    await createSharedResource([client])
    const web = await signIn(account)

    const { result, mostWorking, mostWaiting } = await watchTurns(() =>
      Promise.all(Array.from({ length: 16 }, (_, i) => web.get(i % 2 ? '/portal' : '/portal/resources')))
    )
    assert.deepEqual(
      result.map((response) => response.status),
      Array(16).fill(200)
    )
    assert.isTrue(result.every((response) => response.text.trimEnd().endsWith('</html>')))
    assert.equal(mostWorking, 4)
    assert.isAbove(mostWaiting, 0)
    // Every turn given back.
    assert.deepEqual(portalTurns(), { working: 0, waiting: 0 })
  })

  test('a sign-in, "Leave this site" and the staff side never take a turn', async ({ assert }) => {
    const visitor = new WebSession()
    await visitor.get('/portal/login')
    const { result, mostWorking } = await watchTurns(() =>
      Promise.all([
        visitor.post('/portal/login', { email: 'nobody@portal.test', password: 'wrong password here' }),
        new WebSession().get('/portal/leave'),
        new WebSession().get('/login'),
      ])
    )
    assert.deepEqual(
      result.map((response) => response.status),
      [302, 303, 200]
    )
    assert.equal(mostWorking, 0)
  })
})
