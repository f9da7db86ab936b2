import { test } from '@japa/runner'
import edge from 'edge.js'

/*
| start/view.ts caches included partials in production (Edge itself compiles
| them again on every render). Here the compiler's cache is switched on as in
| production, for one test.
*/
test.group('Template cache', (group) => {
  let wasEnabled = false
  group.each.setup(() => {
    wasEnabled = edge.compiler.cacheManager.enabled
    edge.compiler.cacheManager.enabled = true
    return () => {
      edge.compiler.cacheManager.enabled = wasEnabled
    }
  })

  test('an included partial is compiled once per set of local variables', ({ assert }) => {
    const partial = 'pages/portal/appointments/_list'
    const first = edge.compiler.compile(partial, ['appointment'])
    assert.strictEqual(edge.compiler.compile(partial, ['appointment']), first)
    assert.notStrictEqual(edge.compiler.compile(partial, ['appointment', 'index']), first)
  })

  test('a page with an included partial renders the same from the cache', async ({ assert }) => {
    edge.compiler.cacheManager.enabled = false
    const uncached = await edge.render('emails/test_message_text')
    edge.compiler.cacheManager.enabled = true
    const cachedOnce = await edge.render('emails/test_message_text')
    const cachedTwice = await edge.render('emails/test_message_text')

    assert.include(uncached, 'Replies are not read')
    assert.equal(cachedOnce, uncached)
    assert.equal(cachedTwice, uncached)
  })

  test('nothing is cached while the cache is off (development)', ({ assert }) => {
    edge.compiler.cacheManager.enabled = false
    const partial = 'emails/partials/footer_text'
    assert.notStrictEqual(edge.compiler.compile(partial, ['x']), edge.compiler.compile(partial, ['x']))
  })
})
