import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import { createHash } from 'node:crypto'
import type Client from '#models/client'
import Resource from '#models/resource'
import ResourceShare from '#models/resource_share'
import { unique } from '#database/factories/unique'

/*
| A plain function, not a Lucid factory: a resource is a row and a real file
| in storage together, and the row's checksum and size come from the file.
*/

/** A small real file in the Resource Library, shared with the given clients. */
export async function createSharedResource(clients: Client[], attributes: Partial<Resource> = {}) {
  const contents = Buffer.from(`Worksheet ${unique('content')}\n`)
  const key = `resources/${unique('file')}/worksheet.txt`
  await drive.use().put(key, contents)
  const resource = await Resource.create({
    title: unique('Worksheet'),
    fileKey: key,
    originalName: 'worksheet.txt',
    mimeType: 'text/plain',
    sizeBytes: contents.length,
    checksum: createHash('sha256').update(contents).digest('hex'),
    ...attributes,
  })
  for (const client of clients) {
    await ResourceShare.create({ resourceId: resource.id, clientId: client.id, sharedAt: DateTime.now() })
  }
  return { resource, contents }
}
