// A test-only XMLHttpRequest over Node's http, behaving as React Native's does for a streamed
// response: `responseText` grows while the body arrives (readyState 3), a progress event per piece,
// then load; abort, error and a connection dropped mid-body end it as XHR does. The npm packages
// (xhr2, xmlhttprequest-ssl) set responseText only at the end, so they cannot show streaming.
import { request, type ClientRequest } from "node:http";
import type { XhrLike } from "@gemini-relay/client";

export class NodeXhr implements XhrLike {
  /** Every instance made, so a test can see what happened to the request (aborted, ended). */
  static readonly made: NodeXhr[] = [];
  readyState = 0;
  status = 0;
  statusText = "";
  responseText = "";
  progressEvents = 0;
  aborted = false;
  onreadystatechange: (() => void) | null = null;
  onprogress: (() => void) | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  private method = "GET";
  private url = "";
  readonly requestHeaders: Record<string, string> = {};
  private rawHeaders: string[] = [];
  private req: ClientRequest | undefined;
  private finished = false;

  constructor() {
    NodeXhr.made.push(this);
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.state(1);
  }

  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value;
  }

  getAllResponseHeaders(): string {
    const lines: string[] = [];
    for (let i = 0; i < this.rawHeaders.length; i += 2) lines.push(`${this.rawHeaders[i]!.toLowerCase()}: ${this.rawHeaders[i + 1]}`);
    return lines.join("\r\n");
  }

  send(body?: string | Uint8Array | null): void {
    const req = request(this.url, { method: this.method, headers: this.requestHeaders });
    this.req = req;
    req.on("response", (res) => {
      this.status = res.statusCode ?? 0;
      this.statusText = res.statusMessage ?? "";
      this.rawHeaders = res.rawHeaders;
      this.state(2);
      res.setEncoding("utf8");
      res.on("data", (piece: string) => {
        this.responseText += piece;
        this.state(3);
        this.progressEvents++;
        this.onprogress?.();
      });
      res.on("end", () => this.finish(() => this.onload?.()));
      res.on("close", () => {
        if (!res.complete) this.finish(() => this.onerror?.());
      });
    });
    req.on("error", () => this.finish(() => this.onerror?.()));
    req.end(body ?? undefined);
  }

  abort(): void {
    this.aborted = true;
    this.req?.destroy();
    this.finish(() => this.onabort?.());
  }

  private finish(notify: () => void): void {
    if (this.finished) return;
    this.finished = true;
    this.state(4);
    notify();
  }

  private state(state: number): void {
    this.readyState = state;
    this.onreadystatechange?.();
  }
}
