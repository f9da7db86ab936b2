import { createRequire } from 'node:module'

/*
| A real S3-protocol server on loopback for the test run (s3rver: the S3
| HTTP API, objects kept in a folder), never the drive's fake. bin/test.ts
| starts one per run and hands its settings to the app and to every process
| a test spawns through S3_* variables.
*/
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>
  close(): Promise<void>
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance

// s3rver is CommonJS without types of its own.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass

export const TEST_BUCKET = 'careincite-test'
/** s3rver's fixed credentials. */
const ACCESS_KEY = 'S3RVER'

export interface TestS3Server {
  /** The S3_* variables that point the app at this server. */
  env: Record<string, string>
  stop(): Promise<void>
}

export async function startS3Server(directory: string): Promise<TestS3Server> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: TEST_BUCKET }],
  })
  const { port } = await server.run()
  return {
    env: {
      S3_BUCKET: TEST_BUCKET,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      // s3rver (2021) predates the SDK's default CRC checksums (test-only option).
      S3_CHECKSUMS_WHEN_REQUIRED: 'true',
    },
    stop: () => server.close(),
  }
}
