/**
 * One fuzz request over a raw TCP socket, so the body can lie: a Content-Length larger than what
 * is sent, a chunked body cut before its last chunk, a body that stalls. Reads the answer's status
 * line and, when it has a Content-Length, its body; gives up after `hangMs` (a hang).
 */
import { connect } from "node:net";
import type { FuzzCase } from "./fuzz";

export interface RawAnswer {
  /** The HTTP status, or undefined when none arrived. */
  status?: number;
  /** The start of what arrived (status line, headers, body). */
  head: string;
  /** No complete answer within hangMs. */
  hung: boolean;
  /** The connection closed (or was reset) without a status line. */
  noAnswer: boolean;
  ms: number;
}

export function sendRaw(url: string, path: string, fuzz: FuzzCase, hangMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (answer: Omit<RawAnswer, "ms" | "head">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, head: received.toString("utf8", 0, Math.min(received.length, 600)), ms: performance.now() - started });
    };
    const timer = setTimeout(() => settle({ status: statusOf(received), hung: true, noAnswer: false }), hangMs);

    socket.on("connect", () => {
      const chunked = fuzz.transport === "half-closed";
      const length = fuzz.declaredLength ?? fuzz.body.length;
      const head = [
        `POST ${path} HTTP/1.1`,
        `host: ${hostname}:${port}`,
        "connection: close",
        ...Object.entries(fuzz.headers).map(([k, v]) => `${k}: ${v}`),
        chunked ? "transfer-encoding: chunked" : `content-length: ${length}`,
      ];
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      if (chunked) {
        if (fuzz.body.length > 0)
          socket.write(Buffer.concat([Buffer.from(`${fuzz.body.length.toString(16)}\r\n`), fuzz.body, Buffer.from("\r\n")]));
      } else if (fuzz.body.length > 0) {
        socket.write(fuzz.body);
      }
      // short and half-closed: FIN after what was sent; stalled: nothing more, the socket stays open.
      if (fuzz.transport === "short" || fuzz.transport === "half-closed") socket.end();
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (answerComplete(received)) settle({ status: statusOf(received), hung: false, noAnswer: false });
    });
    // The server may answer early (413) and close while the body is still going out: what counts is the answer.
    socket.on("error", () => settle({ status: statusOf(received), hung: false, noAnswer: statusOf(received) === undefined }));
    socket.on("close", () => settle({ status: statusOf(received), hung: false, noAnswer: statusOf(received) === undefined }));
  });
}

function statusOf(received: Buffer): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(received.toString("latin1", 0, 32));
  return match ? Number(match[1]) : undefined;
}

/** Headers and, when declared, the whole body are in. (Without a Content-Length: wait for close.) */
function answerComplete(received: Buffer): boolean {
  const end = received.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = received.toString("latin1", 0, end);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  return length !== null && received.length - end - 4 >= Number(length[1]);
}
