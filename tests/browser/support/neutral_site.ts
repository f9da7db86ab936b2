import { createServer, type Server } from 'node:https'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'

/*
| A stand-in for the practice's neutral "Leave this site" address. The
| machine has no internet, and Playwright's page.route does not see the
| target of a redirect, so the browser is sent to a local https:// server
| (the setting accepts https only), with a self-signed certificate kept
| beside this file for tests only (no openssl needed on the machine):
| contexts that go there need `ignoreHTTPSErrors: true`.
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
  const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url))
  const server: Server = createServer({ key: await fixture('neutral_site_key.pem'), cert: await fixture('neutral_site_cert.pem') }, (_, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(EXIT_PAGE)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async stop() {
      server.closeAllConnections()
      await new Promise((closed) => server.close(closed))
    },
  }
}

