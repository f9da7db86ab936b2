import drive from '@adonisjs/drive/services/main'
import env from '#start/env'

/*
| The disk the Resource Library's files live on (config/drive.ts): DRIVE_DISK,
| `fs` by default, `s3` for several machines. Everything that stores, reads
| or removes a library file goes through here.
*/
export type FileDiskName = 'fs' | 's3'

let current: FileDiskName = env.get('DRIVE_DISK', 'fs')

export function fileStore() {
  return drive.use(current)
}

export function fileDiskName(): FileDiskName {
  return current
}

/**
 * Switches the disk for this process. Only the test suite calls it, to run
 * the same library flows on the local disk and on a real S3 server in one
 * run; deployments choose with DRIVE_DISK.
 */
export function useFileDisk(name: FileDiskName) {
  current = name
}
