/** Wiring for the client tests: a client whose fetch is the real relay app, in-process. */
import { createRelayClient, type RelayClientOptions } from "@gemini-relay/client";
import type { relayWithEmulator } from "../helpers";

export const MODEL = "gemini-3.5-flash";
export const BASE = "http://relay.test";
export const orderTool = {
  type: "function",
  name: "get_order_status",
  description: "Look up the shipping status of an order",
  parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
};

/** A client whose fetch is the relay app itself; `requests` records what it sent. */
export function clientFor(relay: ReturnType<typeof relayWithEmulator>, options: Partial<RelayClientOptions> = {}) {
  const requests: Request[] = [];
  const client = createRelayClient({
    baseUrl: BASE,
    ...options,
    fetch: (input, init) => {
      requests.push(new Request(input, init));
      return relay.app.request(input, init, relay.env);
    },
  });
  return { client, requests };
}
