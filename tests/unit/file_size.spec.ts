import { test } from '@japa/runner'
import { formatFileSize } from '#support/file_size'

test.group('File sizes for people', () => {
  test('bytes, kilobytes and megabytes, with words and spaces', ({ assert }) => {
    assert.equal(formatFileSize(1), '1 byte')
    assert.equal(formatFileSize(945), '945 bytes')
    assert.equal(formatFileSize('945'), '945 bytes')
    assert.equal(formatFileSize(1024), '1 KB')
    assert.equal(formatFileSize(12_800), '13 KB')
    assert.equal(formatFileSize(1_258_291), '1.2 MB')
    assert.equal(formatFileSize(20 * 1024 * 1024), '20 MB')
    assert.equal(formatFileSize(null), '')
  })
})
