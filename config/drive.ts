import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'

/*
| Shared resources are private files: neither disk serves them by URL.
| Downloads stream through an authorized controller.
|
| DRIVE_DISK chooses where they live: `fs` (the local disk, DRIVE_ROOT; the
| default) or `s3` (S3-compatible object storage: what several app
| processes on several machines need, DESIGN §11). The S3 settings are in
| the README ("Running in production").
*/
const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK', 'fs'),
  services: {
    fs: services.fs({
      location: env.get('DRIVE_ROOT') ?? app.makePath('storage'),
      serveFiles: false,
      visibility: 'private',
    }),
    s3: services.s3({
      bucket: env.get('S3_BUCKET', ''),
      region: env.get('S3_REGION', 'us-east-1'),
      endpoint: env.get('S3_ENDPOINT'),
      forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
      // Without keys in env, the SDK's own chain (instance role, AWS_* variables) is used.
      credentials: env.get('S3_ACCESS_KEY_ID')
        ? { accessKeyId: env.get('S3_ACCESS_KEY_ID')!, secretAccessKey: env.get('S3_SECRET_ACCESS_KEY')?.release() ?? '' }
        : undefined,
      visibility: 'private',
      // Buckets with object ownership "bucket owner enforced" (the AWS default) refuse ACLs; privacy comes from the bucket.
      supportsACL: false,
      // Test servers only (s3rver predates the SDK's default checksums): never a production default.
      ...(env.get('S3_CHECKSUMS_WHEN_REQUIRED')
        ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
        : {}),
    }),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
