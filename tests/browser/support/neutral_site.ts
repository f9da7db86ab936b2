import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:https'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'

/*
| A stand-in for the practice's neutral "Leave this site" address. The
| machine has no internet, and Playwright's page.route does not see the
| target of a redirect, so the browser is sent to a local https:// server
| (the setting accepts https only), with a throw-away self-signed
| certificate: contexts that go there need `ignoreHTTPSErrors: true`.
*/
export const EXIT_PAGE_HEADING = 'Today’s weather'
const EXIT_PAGE = `<!DOCTYPE html><html lang="en"><head><title>Weather</title></head><body><h1>${EXIT_PAGE_HEADING}</h1></body></html>`

export interface NeutralSite {
  /** https://127.0.0.1:<port>/ */
  url: string
  stop(): Promise<void>
}

/** An https server on 127.0.0.1 answering every path with the stand-in page. */
export async function startNeutralSite(): Promise<NeutralSite> {
  const dir = await mkdtemp(app.makePath('tmp/neutral-site-'))
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`,
  ])
  const server: Server = createServer({ key: await readFile(`${dir}/key.pem`), cert: await readFile(`${dir}/cert.pem`) }, (_, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(EXIT_PAGE)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async stop() {
      server.closeAllConnections()
      await new Promise((closed) => server.close(closed))
      await rm(dir, { recursive: true, force: true })
    },
  }
}

