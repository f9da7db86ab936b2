import { createHash, randomUUID } from 'node:crypto'
import { readFile, unlink } from 'node:fs/promises'
import { extname } from 'node:path'
import { fileStore } from '#services/file_store'
import { formatFileSize } from '#support/file_size'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import { fileTypeFromFile } from 'file-type'
import resourceLibrary, { type AllowedFileType } from '#config/resource_library'

/*
| Uploaded files of the Resource Library: checked by content, stored on the
| drive disk under a key of our own, and never kept when the database row
| that points at them could not be written.
*/

/** An upload that passed every check, ready to store. */
export interface CheckedUpload {
  type: AllowedFileType
  contents: Buffer
  /** The person's file name, cleaned for display and ending in the real type's extension. */
  originalName: string
}

/** What the resources row records about a stored file. */
export interface StoredFile {
  fileKey: string
  originalName: string
  mimeType: string
  sizeBytes: number
  checksum: string
}

export type UploadCheck =
  | { accepted: true; upload: CheckedUpload }
  | { accepted: false; problem: string }

const ACCEPTED_WORDS = 'PDF, Word (.docx), PNG, JPEG or plain text'
const DISPLAY_NAME_MAX = 150
const KEY_NAME_MAX = 80

/** Checks the uploaded file by its bytes. The problem is a sentence for the person. */
export async function checkUpload(file: MultipartFile | null): Promise<UploadCheck> {
  if (!file || !file.clientName) return refuse('Please choose a file to upload.')
  if (file.errors.some((error) => error.type === 'size')) {
    return refuse(
      `This file is larger than ${formatFileSize(resourceLibrary.maxUploadBytes)}. Please choose a smaller file.`
    )
  }
  if (!file.isValid || !file.tmpPath) return refuse('The file did not arrive completely. Please try again.')
  if (file.size === 0) return refuse('This file is empty. Please choose another file.')

  // file-type reads the magic bytes; the name and the browser's claim are ignored.
  const detected = await fileTypeFromFile(file.tmpPath)
  const contents = await readFile(file.tmpPath)
  let type: AllowedFileType | undefined
  if (detected) {
    type = resourceLibrary.allowedTypes[detected.ext]
  } else {
    const text = plainText(contents)
    if (text === 'markup') {
      return refuse(
        `This file is a web page or other markup (HTML, XML or SVG), which the library does not take. Please upload a ${ACCEPTED_WORDS} file.`
      )
    }
    if (text === 'text') type = resourceLibrary.allowedTypes.txt
  }
  if (!type) {
    return refuse(
      `The content of this file is not ${ACCEPTED_WORDS}, whatever its name says. Please choose a file of one of those types.`
    )
  }
  return { accepted: true, upload: { type, contents, originalName: displayName(file.clientName, type) } }
}

/**
 * Stores the file under a fresh key, then lets `record` write its row. When
 * `record` fails, the stored file is removed again, so no file is left
 * without a row.
 */
export async function storeUpload<T>(
  upload: CheckedUpload,
  record: (stored: StoredFile) => Promise<T>
): Promise<T> {
  const fileKey = `resources/${randomUUID()}/${keyName(upload.originalName, upload.type)}`
  await fileStore().put(fileKey, upload.contents, { contentType: upload.type.mime })
  try {
    return await record({
      fileKey,
      originalName: upload.originalName,
      mimeType: upload.type.mime,
      sizeBytes: upload.contents.length,
      checksum: createHash('sha256').update(upload.contents).digest('hex'),
    })
  } catch (error) {
    await fileStore()
      .delete(fileKey)
      .catch(() => {})
    throw error
  }
}

/**
 * Removes the request's temporary copies: the body parser leaves them in the
 * OS temp folder, and a refused file (an executable, say) should not linger.
 */
export async function discardTemporaryFiles(files: MultipartFile[]) {
  await Promise.all(
    files.map((file) => (file.tmpPath ? unlink(file.tmpPath).catch(() => {}) : undefined))
  )
}

/**
 * Plain text has no magic bytes, so it is taken only when file-type found
 * nothing and the bytes are valid UTF-8 without NUL bytes. Markup is valid
 * UTF-8 too, but a browser may render it: it is refused.
 */
function plainText(contents: Buffer): 'text' | 'markup' | 'not_text' {
  if (contents.includes(0)) return 'not_text'
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(contents)
  } catch {
    return 'not_text'
  }
  const start = text.replace(/^\uFEFF/, '').trimStart()
  if (start.startsWith('<') || /<\s*(script|html|body|iframe|svg|object|embed)\b/i.test(text)) {
    return 'markup'
  }
  return 'text'
}

/**
 * The name people see and download: the last part of whatever the browser
 * sent (some send a path), without control or direction-changing characters
 * (which can disguise "exe.pdf" as "fdp.exe"), ending in the extension of
 * the type the bytes really are.
 */
export function displayName(clientName: string, type: AllowedFileType) {
  const lastPart = clientName.split(/[\\/]/).pop() ?? ''
  let name = lastPart
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    // A leading dot would make a hidden file on download.
    .replace(/^\.+/, '')
  const extension = extname(name).slice(1).toLowerCase()
  if (![type.extension, ...type.otherExtensions].includes(extension)) {
    name = `${name || 'resource'}.${type.extension}`
  }
  const characters = Array.from(name)
  if (characters.length <= DISPLAY_NAME_MAX) return name
  const ending = extname(name)
  return Array.from(name.slice(0, -ending.length))
    .slice(0, DISPLAY_NAME_MAX - ending.length)
    .join('')
    .trimEnd()
    .concat(ending)
}

/** A name for the storage key: ASCII letters, digits, "-" and "_" only (what every disk accepts). */
function keyName(originalName: string, type: AllowedFileType) {
  const stem = originalName
    .slice(0, originalName.length - extname(originalName).length)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, KEY_NAME_MAX)
  return `${stem || 'file'}.${type.extension}`
}

function refuse(problem: string): UploadCheck {
  return { accepted: false, problem }
}
