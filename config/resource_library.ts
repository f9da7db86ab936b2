/*
| The Resource Library's upload rules. Types are checked by content (magic
| bytes), never by the name or the browser's claim; `mime` is what gets
| stored and sent back on download. A constant rather than an env variable:
| the limit is a product decision, the same for every deployment.
*/

export interface AllowedFileType {
  /** Stored as the resource's MIME type and sent as Content-Type. */
  mime: string
  /** The extension a download of this type must end with. */
  extension: string
  /** Other extensions people use for the same type (e.g. "jpeg"). */
  otherExtensions: string[]
  /** Plain words for the upload hint and errors. */
  label: string
}

export const PLAIN_TEXT_MIME = 'text/plain'

const resourceLibraryConfig = {
  /** 20 MB. The multipart body limit (config/bodyparser.ts, 25 MB) must stay above it. */
  maxUploadBytes: 20 * 1024 * 1024,

  /**
   * Keyed by the `ext` that file-type reports. Plain text has no magic
   * bytes: it is accepted only when file-type finds nothing and the bytes
   * are valid UTF-8 without NUL bytes (app/services/resource_files.ts).
   */
  allowedTypes: {
    pdf: { mime: 'application/pdf', extension: 'pdf', otherExtensions: [], label: 'PDF' },
    png: { mime: 'image/png', extension: 'png', otherExtensions: [], label: 'PNG image' },
    jpg: { mime: 'image/jpeg', extension: 'jpg', otherExtensions: ['jpeg'], label: 'JPEG image' },
    docx: {
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
      otherExtensions: [],
      label: 'Word document (.docx)',
    },
    txt: { mime: PLAIN_TEXT_MIME, extension: 'txt', otherExtensions: ['text'], label: 'plain text' },
  } satisfies Record<string, AllowedFileType> as Record<string, AllowedFileType>,

  /** Rows per page of the library list. */
  perPage: 25,

  /** Most clients listed by one search of the share picker. */
  pickerLimit: 25,

  /** Most clients shared with in one go. */
  maxClientsPerShare: 200,
}

export default resourceLibraryConfig
