import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { freePort } from '#database/embedded_postgres'

/*
| The Nu Html Checker (vnu-jar), run once as a local HTTP service for the
| whole browser suite: one JVM start (~2 s) instead of one per page. It binds
| to loopback only, and runs on the system's Java (the package's own JRE
| download is denied in package.json).
*/
let checker: ChildProcess | null = null
let checkerUrl: string | null = null

export async function startHtmlChecker() {
  const jar = join(dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build/dist/vnu.jar')
  const port = await freePort(18890)
  checker = spawn('java', ['-Dnu.validator.servlet.bind-address=127.0.0.1', '-cp', jar, 'nu.validator.servlet.Main', String(port)], {
    stdio: 'ignore',
  })
  checkerUrl = `http://127.0.0.1:${port}/?out=json`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/`)
      return stopHtmlChecker
    } catch {
      await new Promise((done) => setTimeout(done, 250))
    }
  }
  throw new Error('The Nu Html Checker did not start (is Java installed? apt-get install -y default-jre-headless)')
}

export async function stopHtmlChecker() {
  checker?.kill()
  checker = null
}

export interface HtmlMessage {
  type: string
  subType?: string
  message: string
  extract?: string
  lastLine?: number
}

/** Every error the checker reports for a document (warnings are kept too: "info" with subType "warning"). */
export async function checkHtml(html: string): Promise<HtmlMessage[]> {
  if (!checkerUrl) throw new Error('The HTML checker is not running')
  const response = await fetch(checkerUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: html,
  })
  const { messages } = (await response.json()) as { messages: HtmlMessage[] }
  return messages.filter((message) => message.type === 'error' || message.type === 'non-document-error')
}
