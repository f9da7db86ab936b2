import { test } from '@japa/runner'
import { csvField, csvLine } from '#support/csv'

test.group('CSV writer', () => {
  test('quotes only when needed and doubles quotes', ({ assert }) => {
    assert.equal(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 7]), 'plain,"a,b","say ""hi""","two\nlines",,7\r\n')
  })

  test('a value that would start a formula gets an apostrophe (OWASP CSV injection)', ({ assert }) => {
    assert.equal(csvField('=1+1'), "'=1+1")
    assert.equal(csvField('+1'), "'+1")
    assert.equal(csvField('-1'), "'-1")
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)")
    assert.equal(csvField('\tx'), "'\tx")
    assert.equal(csvField('\r=1'), `"'\r=1"`)
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
  })

  test('numbers and harmless text stay as they are', ({ assert }) => {
    assert.equal(csvField(-3), '-3')
    assert.equal(csvField('2026-03-01T10:00:00.000Z'), '2026-03-01T10:00:00.000Z')
    assert.equal(csvField('a=b'), 'a=b')
    assert.equal(csvField(undefined), '')
  })
})
