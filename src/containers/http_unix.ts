/**
 * HTTP/1.1 GET over a unix socket, as the runtimes' APIs serve it (docker, podman, cri-o): one
 * connection per request (Connection: close), a body of Content-Length bytes, chunked, or up to
 * the end of the stream. Bounded in time and size; never throws past its caller's promise.
 */

/** A response: status code and body text. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** The most a response may hold (an inspect is a few KiB). */
const MAX_RESPONSE = 4 << 20;

/** Why a request failed before any response (the runtime is not there, or hung). */
export class HttpUnixError extends Error {}

function decodeChunked(body: Uint8Array): Uint8Array {
  const out: number[] = [];
  let pos = 0;
  const text = new TextDecoder();
  for (;;) {
    const eol = body.indexOf(0x0a, pos);
    if (eol < 0) break;
    const size = parseInt(text.decode(body.subarray(pos, eol)).trim(), 16);
    if (!Number.isFinite(size) || size === 0) break;
    const start = eol + 1;
    for (let i = start; i < start + size && i < body.length; i++) out.push(body[i]!);
    pos = start + size + 2;
  }
  return new Uint8Array(out);
}

/** GET `path` from the HTTP server on unix socket `socket`, within `timeoutMs`. */
export async function httpGetUnix(
  socket: string,
  path: string,
  timeoutMs = 2000,
): Promise<HttpResponse> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path: socket });
  } catch (e) {
    throw new HttpUnixError(`connect ${socket}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    const request = `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n` +
      "Connection: close\r\n\r\n";
    await conn.write(new TextEncoder().encode(request));
    const parts: Uint8Array[] = [];
    let size = 0;
    const buf = new Uint8Array(65536);
    for (;;) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch (e) {
        if (size === 0) {
          throw new HttpUnixError(
            `read ${socket}: ${
              e instanceof Error ? e.message : String(e)
            } (no answer in ${timeoutMs} ms?)`,
          );
        }
        break;
      }
      if (n === null) break;
      parts.push(buf.slice(0, n));
      size += n;
      if (size > MAX_RESPONSE) throw new HttpUnixError(`response from ${socket} is too large`);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    const headEnd = all.findIndex((_, i) =>
      all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10
    );
    if (headEnd < 0) throw new HttpUnixError(`no HTTP response from ${socket}`);
    const head = new TextDecoder().decode(all.subarray(0, headEnd));
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    if (status === 0) throw new HttpUnixError(`no HTTP response from ${socket}`);
    let body: Uint8Array = all.subarray(headEnd + 4);
    if (/^transfer-encoding:\s*chunked/im.test(head)) body = decodeChunked(body);
    const length = /^content-length:\s*(\d+)/im.exec(head);
    if (length) body = body.subarray(0, Number(length[1]));
    return { status, body: new TextDecoder().decode(body) };
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
}
